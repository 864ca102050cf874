package pytx_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/pytx"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

const (
	md5a = "0123456789abcdef0123456789abcdef"
	h64  = "facd8bcb2a49bcebdec1985298d5fe84bcd006c187c598c720c3c087b3fdb318"
)

func read(t *testing.T, in string, opt codec.Options) ([]model.Entry, []*codec.RecordError) {
	t.Helper()
	r, _ := pytx.NewReader(strings.NewReader(in), opt)
	entries, rej, err := formattest.ReadAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	return entries, rej
}

func TestRead(t *testing.T) {
	in := "pdq " + h64 + "\n\nvideo_md5 " + strings.ToUpper(md5a) + "\n" + md5a + "\n" + h64 + "\nurl http://x\npdq abc\n"
	entries, rej := read(t, in, codec.Options{})
	if len(entries) != 3 || entries[0].Signal.Kind != signal.PDQ || entries[1].Signal != (signal.Signal{Kind: signal.MD5, Value: md5a}) {
		t.Errorf("entries %v", entries)
	}
	if len(rej) != 3 || rej[0].Line != 5 || !errors.Is(rej[0], codec.ErrAmbiguous) || rej[1].Line != 6 || !errors.Is(rej[1], signal.ErrKind) || rej[2].Line != 7 {
		t.Errorf("rejected %v", rej)
	}
	// A collaboration with a fixed type: bare signals, typed lines still read.
	entries, rej = read(t, h64+"\npdq "+h64+"\n", codec.Options{Kind: signal.PDQ})
	if len(entries) != 2 || len(rej) != 0 {
		t.Errorf("fixed kind: %v %v", entries, rej)
	}
}

func TestRoundTripAndGolden(t *testing.T) {
	entries := []model.Entry{
		{Signal: signal.Signal{Kind: signal.PDQ, Value: h64}},
		{Signal: signal.Signal{Kind: signal.MD5, Value: md5a}},
		{Signal: signal.Signal{Kind: signal.SHA256, Value: h64}},
	}
	var buf bytes.Buffer
	w, _ := pytx.NewWriter(&buf, codec.Options{})
	formattest.Write(t, w, entries)
	formattest.Golden(t, "local_file.txt", buf.Bytes())
	back, rej := read(t, buf.String(), codec.Options{})
	if len(rej) != 0 || len(back) != 3 {
		t.Fatal(back, rej)
	}
	for i := range entries {
		if back[i].Signal != entries[i].Signal {
			t.Errorf("%d: %s", i, back[i].Signal)
		}
	}
}

func FuzzPytx(f *testing.F) {
	f.Add([]byte("pdq " + h64 + "\nmd5 " + md5a + "\n\n"))
	f.Add([]byte(md5a + "\nvpdq x y z\n"))
	f.Add([]byte("vpdq [\"" + h64 + ",100,0.0\"]\nvpdq {\"3\": {\"quality\": 1, \"hash\": \"" + h64 + "\", \"timestamp\": 2}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return pytx.NewReader(r, codec.Options{MaxRecordBytes: 512})
		})
	})
}
