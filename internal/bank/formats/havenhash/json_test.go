package havenhash_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats"
	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/havenhash"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
)

const (
	md5v  = "0123456789abcdef0123456789abcdef"
	sha1v = "0123456789abcdef0123456789abcdef01234567"
)

// jsonLines are `haven hash --format json` lines: an image, a video, a
// corrupt video, an empty file.
var jsonLines = `{"path":"a.jpg","bytes":10,"md5":"` + md5v + `","sha1":"` + sha1v + `","sha256":"` + h + `","format":"jpeg","pdq":"` + h + `","quality":90}
{"path":"clip.mp4","bytes":2000,"md5":"` + md5v + `","sha1":"` + sha1v + `","sha256":"` + h + `","format":"video","width":96,"height":64,"vpdq":[{"frame":0,"quality":100,"pdq":"` + h + `","timestamp":0},{"frame":5,"quality":80,"pdq":"` + h + `","timestamp":1}]}
{"path":"bad.mp4","bytes":300,"md5":"` + md5v + `","sha1":"` + sha1v + `","sha256":"` + h + `","format":"video","error":"ffprobe: cannot read video"}
{"path":"empty.mp4","bytes":0,"md5":"d41d8cd98f00b204e9800998ecf8427e","error":"not an image (empty file)"}
{"bytes":1}
{"path":"x","bytes":1,"md5":"xyz"}
`

func TestJSONLines(t *testing.T) {
	if f, ok := formats.Detect([]byte(jsonLines)); !ok || f != formats.HavenJSON {
		t.Errorf("Detect = %q, %v", f, ok)
	}
	r, err := havenhash.NewJSONReader(strings.NewReader(jsonLines), codec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	entries, rej, err := formattest.ReadAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.SourceID+" "+string(e.Signal.Kind))
	}
	want := "a.jpg md5,a.jpg sha1,a.jpg sha256,a.jpg pdq,clip.mp4 md5,clip.mp4 sha1,clip.mp4 sha256,clip.mp4 vpdq,bad.mp4 md5,bad.mp4 sha1,bad.mp4 sha256"
	if strings.Join(got, ",") != want {
		t.Errorf("entries\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
	if *entries[3].Quality != 90 || entries[7].Signal.Value != "0,100,"+h+",0.000\n5,80,"+h+",1.000" {
		t.Errorf("pdq %+v, vpdq %q", entries[3], entries[7].Signal.Value)
	}
	if len(rej) != 2 || rej[0].Line != 5 || rej[1].Line != 6 || !errors.Is(rej[1], signal.ErrValue) {
		t.Errorf("rejected %v", rej)
	}
}

func FuzzHavenJSON(f *testing.F) {
	f.Add([]byte(jsonLines))
	f.Add([]byte(`{"path":"v","bytes":1,"vpdq":[{"frame":-1,"quality":101,"pdq":"` + strings.Repeat("0", pdq.Size*2) + `","timestamp":-3}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return havenhash.NewJSONReader(r, codec.Options{MaxRecordBytes: 4096})
		})
	})
}
