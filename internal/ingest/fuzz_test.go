package ingest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// fuzzLimits keep each fuzz input cheap while still reaching every path.
var fuzzLimits = Limits{
	MaxEntrySize: 4 * miB, MaxArchiveExpanded: 16 * miB, MaxTotalExpanded: 32 * miB,
	RatioFloor: miB, MaxWindow: 16 * miB, MemoryBudget: 8 * miB, SpillThreshold: miB, DiskBudget: 16 * miB,
}

// fuzzWalk walks data, opened as format (or sniffed when ""), reads every
// item whole and checks what must hold for any input: no panic, paths that
// stay inside their archive, problems typed, every budget byte returned.
func fuzzWalk(t *testing.T, data []byte, format Format) {
	yield := func(it *Item) error {
		defer it.Release()
		checkItemPath(t, it)
		var p *Problem
		if it.Err != nil {
			if !errors.As(it.Err, &p) || p.Kind == 0 {
				t.Fatalf("%s: untyped problem %v", it.Path, it.Err)
			}
			return nil
		}
		b, err := it.ReadAll()
		if err != nil && !errors.As(err, &p) {
			t.Fatalf("%s: read error is not a Problem: %v", it.Path, err)
		}
		if err == nil && it.Format == "" && int64(len(b)) != it.Size && !errors.As(err, &p) {
			t.Fatalf("%s: %d bytes, Size %d", it.Path, len(b), it.Size)
		}
		return nil
	}
	w, err := newWalker(context.Background(), Options{Limits: fuzzLimits}, yield)
	if err != nil {
		t.Fatal(err)
	}
	if format == "" {
		err = w.readerAt("f", bytes.NewReader(data), int64(len(data)))
	} else {
		s := newMemShared(data)
		err = w.descend(nil, "f", format, whole(s), nil)
		s.drop()
	}
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	checkBudgets(t, w)
}

func checkItemPath(t *testing.T, it *Item) {
	if !strings.HasPrefix(it.Path, "f") {
		t.Fatalf("path %q", it.Path)
	}
	parts := strings.Split(it.Path, Separator)
	if len(parts)-1 != len(it.Containers) && it.Err == nil {
		t.Fatalf("%q: %d containers", it.Path, len(it.Containers))
	}
	for _, p := range parts[1:] {
		if p == "" || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\x00\\") || strings.HasSuffix(p, "!") {
			t.Fatalf("unclean member name %q in %q", p, it.Path)
		}
		for seg := range strings.SplitSeq(p, "/") {
			if seg == "" || seg == "." || seg == ".." {
				t.Fatalf("segment %q in %q", seg, it.Path)
			}
		}
	}
}

func FuzzZip(f *testing.F) {
	f.Add(makeZip(f, file{name: "a.txt", data: []byte("a")}, file{name: "d/b", data: []byte("bb"), store: true}))
	f.Add(makeRawZip(f, file{name: "../x", data: []byte("x")}, file{name: "y", data: []byte("yy"), store: true}))
	z := makeZip(f, file{name: "n.zip", data: makeZip(f, file{name: "i", data: []byte("i")}), store: true})
	f.Add(z)
	f.Add(z[:len(z)/2])
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, data, FormatZip) })
}

func FuzzTar(f *testing.F) {
	tb := makeTar(f, file{name: "a.txt", data: []byte("a")}, file{name: "/abs/../b", data: []byte("bb")})
	f.Add(tb)
	f.Add(tb[:700])
	f.Add(makeTar(f, file{name: "in.zip", data: makeZip(f, file{name: "i", data: []byte("i")})}))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, data, FormatTar) })
}

func FuzzGzip(f *testing.F) {
	f.Add(gz(f, "a.txt", []byte("a bridge")))
	f.Add(gz(f, "", makeTar(f, file{name: "a", data: []byte("a")})))
	g := gz(f, "x", bytes.Repeat([]byte("landscape "), 50))
	f.Add(g[:len(g)-5])
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzWalk(t, data, FormatGzip)
		fuzzWalk(t, data, FormatTarGzip)
	})
}

func FuzzWalkBytes(f *testing.F) {
	a := []byte("a test card")
	tb := makeTar(f, file{name: "a", data: a})
	for _, seed := range [][]byte{
		a, makeZip(f, file{name: "a", data: a}), tb, gz(f, "", tb), xzData(f, tb), xzData(f, a), zstdData(f, tb),
		fixture(f, "plain.7z"), fixture(f, "encrypted.7z"), fixture(f, "encrypted-headers.7z"),
		fixture(f, "a.txt.bz2"), fixture(f, "two.tar.bz2"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, data, "") })
}
