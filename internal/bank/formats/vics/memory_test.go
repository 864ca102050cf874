package vics_test

import (
	"io"
	"runtime"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/vics"
)

// TestConstantMemory streams a generated file through the reader without
// ever holding it: the live heap after 15k Media is what it was after 3k.
func TestConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and reads 15k Media")
	}
	const media = 15_000
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(vics.WriteSynthetic(pw, media, 3)) }()
	r, err := vics.NewReader(pr, codec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var early uint64
	for n := 0; ; n++ {
		_, err := r.Next()
		if err == io.EOF {
			if n != 3*media {
				t.Fatalf("%d entries", n)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n == 3*3_000 {
			early = heap()
		}
	}
	if late := heap(); late > early+2<<20 {
		t.Errorf("live heap grew from %d to %d bytes", early, late)
	}
}
