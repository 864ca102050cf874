package hamming

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// benchData caches one uniform and one clustered index per size, so that
// benchmarks of several radii share a build.
var benchData = struct {
	sync.Mutex
	m map[string]*benchSet
}{m: map[string]*benchSet{}}

type benchSet struct {
	x   *Index
	lin *Linear
	qs  []Hash
}

func benchIndex(b *testing.B, n int, kind string) *benchSet {
	b.Helper()
	benchData.Lock()
	defer benchData.Unlock()
	key := fmt.Sprint(n, kind)
	if s, ok := benchData.m[key]; ok {
		return s
	}
	rnd := newRand(uint64(n))
	var es []Entry
	if kind == "clustered" {
		es = clustered(rnd, n)
	} else {
		es = make([]Entry, n)
		for i := range es {
			es[i] = Entry{ID: uint64(i), Hash: randHash(rnd)}
		}
	}
	s := &benchSet{x: New(), lin: LinearFrom(es)}
	s.x.AddBatch(es)
	for i := range 1024 {
		if i%2 == 0 {
			s.qs = append(s.qs, flip(rnd, es[rnd.IntN(n)].Hash, rnd.IntN(21)))
		} else {
			s.qs = append(s.qs, randHash(rnd))
		}
	}
	benchData.m[key] = s
	return s
}

func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		for _, kind := range []string{"uniform", "clustered"} {
			for _, r := range []int{0, 16, 31} {
				b.Run(fmt.Sprintf("n=%d/%s/r=%d", n, kind, r), func(b *testing.B) {
					s := benchIndex(b, n, kind)
					var dst []Match
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					b.ResetTimer()
					c0 := threadCPU()
					for i := 0; b.Loop(); i++ {
						dst = s.x.Search(s.qs[i%len(s.qs)], r, dst[:0])
					}
					b.ReportMetric(float64(threadCPU()-c0)/float64(b.N), "cpu-ns/op")
				})
			}
		}
	}
}

func BenchmarkLinear(b *testing.B) {
	s := benchIndex(b, 100_000, "uniform")
	var dst []Match
	for i := 0; b.Loop(); i++ {
		dst = s.lin.Search(s.qs[i%len(s.qs)], 31, dst[:0])
	}
}

func BenchmarkBuild(b *testing.B) {
	rnd := newRand(1)
	es := clustered(rnd, 100_000)
	for b.Loop() {
		New().AddBatch(es)
	}
}

func BenchmarkAdd(b *testing.B) {
	rnd := newRand(2)
	hs := make([]Hash, 4096)
	for i := range hs {
		hs[i] = randHash(rnd)
	}
	x := New()
	for i := 0; b.Loop(); i++ {
		x.Add(uint64(i), hs[i%len(hs)])
	}
}

func BenchmarkSortEntries(b *testing.B) {
	rnd := newRand(1)
	es := clustered(rnd, 1_000_000)
	b.ResetTimer()
	for b.Loop() {
		sortEntries(es)
	}
}

func BenchmarkSegmentBuild(b *testing.B) {
	rnd := newRand(1)
	ids, hs := sortEntries(clustered(rnd, 1_000_000))
	o := Options{}.withDefaults()
	b.ResetTimer()
	for b.Loop() {
		newSegment(ids, hs, &o)
	}
}

func BenchmarkLoad(b *testing.B) {
	x := New()
	x.AddBatch(clustered(newRand(1), 1_000_000))
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Load(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
