package vics

import (
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// WriteSynthetic writes a VICS 2.0 (US profile) #Media feed of n Media with
// random hashes, for benchmarks and load tests: each Media has an MD5, a
// SHA1 and a PDQ in AlternativeHashes (so 3n entries when read back), a
// category, sometimes a series, flags and tags, and the properties a case
// tool writes (MediaID, MediaSize, MimeType, MediaFiles). The same seed
// gives the same bytes. It streams: memory does not grow with n.
func WriteSynthetic(w io.Writer, n int, seed uint64) error {
	vw, err := NewWriter(w, codec.Options{Scheme: model.SchemeVICSUS})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	var raw [20 + 16 + 32]byte
	for i := range n {
		for j := 0; j < len(raw); j += 8 {
			v := rng.Uint64()
			for k := 0; k < 8 && j+k < len(raw); k++ {
				raw[j+k] = byte(v >> (8 * k))
			}
		}
		md5 := hex.EncodeToString(raw[:16])
		sha1 := hex.EncodeToString(raw[16:36])
		pdq := hex.EncodeToString(raw[36:68])
		cat, _ := model.NewCategory(model.SchemeVICSUS, strconv.Itoa(rng.IntN(5)))
		e := model.Entry{Category: cat, SourceID: md5, Extra: syntheticExtra(i, md5, rng)}
		if rng.IntN(10) == 0 {
			e.Series = fmt.Sprintf("series-%d", rng.IntN(1000))
			t := true
			e.VictimIdentified = &t
			e.Tags = []string{"synthetic", "series"}
		}
		for _, s := range []signal.Signal{{Kind: signal.MD5, Value: md5}, {Kind: signal.SHA1, Value: sha1}, {Kind: signal.PDQ, Value: pdq}} {
			e.Signal = s
			if err := vw.Write(e); err != nil {
				return err
			}
		}
	}
	return vw.Close()
}

func syntheticExtra(i int, md5 string, rng *rand.Rand) []byte {
	mime := "image/jpeg"
	if rng.IntN(8) == 0 {
		mime = "video/mp4"
	}
	files := fmt.Sprintf(`[{"MD5":%q,"FileName":"IMG_%05d.JPG","FilePath":"DCIM/100CANON","Unallocated":false}]`, md5, i)
	return codec.MakeExtra(ns, []codec.Field{
		{Key: "MediaID", Value: []byte(strconv.Itoa(i + 1))},
		{Key: "MediaSize", Value: []byte(strconv.Itoa(10_000 + rng.IntN(5_000_000)))},
		codec.StringField("MimeType", mime),
		{Key: "MediaFiles", Value: []byte(files)},
	})
}
