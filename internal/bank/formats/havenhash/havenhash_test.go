package havenhash_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/havenhash"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

const h = "facd8bcb2a49bcebdec1985298d5fe84bcd006c187c598c720c3c087b3fdb318"

func read(t *testing.T, in string) ([]model.Entry, []*codec.RecordError) {
	t.Helper()
	r, _ := havenhash.NewReader(strings.NewReader(in), codec.Options{})
	entries, rej, err := formattest.ReadAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	return entries, rej
}

func TestRead(t *testing.T) {
	other := strings.Repeat("0", 64)
	dihedral := h + strings.Repeat(","+other, 7) + ",88,dir/b,c.jpg"
	in := h + ",100,testdata/samples/bridge.jpg\n\n" + dihedral + "\r\n" +
		h + ",101,x\n" + h + ",abc,x\n" + h[:60] + ",50,x\n" + h + ",50\n" + "nothing\n"
	entries, rej := read(t, in)
	if len(entries) != 2 || len(rej) != 5 {
		t.Fatalf("entries %v, rejected %v", entries, rej)
	}
	if e := entries[0]; e.Signal.Value != h || *e.Quality != 100 || e.SourceID != "testdata/samples/bridge.jpg" {
		t.Errorf("plain line: %+v", e)
	}
	if e := entries[1]; e.Signal.Value != h || *e.Quality != 88 || e.SourceID != "dir/b,c.jpg" {
		t.Errorf("dihedral line: %+v", e)
	}
	for i, want := range []int{4, 5, 6, 7, 8} {
		if rej[i].Line != want {
			t.Errorf("rejection %d at line %d, want %d", i, rej[i].Line, want)
		}
	}
}

func TestRoundTripAndGolden(t *testing.T) {
	q1, q2 := 100, 42
	entries := []model.Entry{
		{Signal: signal.Signal{Kind: signal.PDQ, Value: h}, Quality: &q1, SourceID: "a.jpg"},
		{Signal: signal.Signal{Kind: signal.PDQ, Value: strings.Repeat("0", 64)}, Quality: &q2, SourceID: "dir, with comma/b.png"},
	}
	var buf bytes.Buffer
	w, _ := havenhash.NewWriter(&buf, codec.Options{})
	formattest.Write(t, w, entries)
	formattest.Golden(t, "havenhash.txt", buf.Bytes())
	back, rej := read(t, buf.String())
	if len(rej) != 0 || len(back) != 2 {
		t.Fatal(back, rej)
	}
	for i := range entries {
		if back[i].Signal != entries[i].Signal || *back[i].Quality != *entries[i].Quality || back[i].SourceID != entries[i].SourceID {
			t.Errorf("%d: %+v", i, back[i])
		}
	}
	w, _ = havenhash.NewWriter(io.Discard, codec.Options{})
	if err := w.Write(model.Entry{Signal: signal.Signal{Kind: signal.PDQ, Value: h}}); !errors.Is(err, codec.ErrUnsupported) {
		t.Errorf("no quality: %v", err)
	}
}

func FuzzHavenHash(f *testing.F) {
	f.Add([]byte(h + ",100,a.jpg\n" + h + strings.Repeat(","+h, 7) + ",1,b\n"))
	f.Add([]byte(h + ",-1,\n,,\n"))
	f.Add([]byte(h + ",9,a#t=1.000\n" + h + ",9,a#t=0.5\nx\n" + h + ",9,a#t=2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return havenhash.NewReader(r, codec.Options{MaxRecordBytes: 1024})
		})
	})
}
