package hamming

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkSearchBatched measures radius-31 searches of an index loaded the
// way a server loads a bank: AddBatch in batches of 65,536 (several
// segments), against one AddBatch of everything (one segment).
func BenchmarkSearchBatched(b *testing.B) {
	const n = 1_000_000
	rnd := newRand(7)
	es := make([]Entry, n)
	for i := range es {
		es[i] = Entry{ID: uint64(i + 1), Hash: randHash(rnd)}
	}
	var qs []Hash
	for i := range 1024 {
		if i%2 == 0 {
			qs = append(qs, flip(rnd, es[rnd.IntN(n)].Hash, rnd.IntN(9)))
		} else {
			qs = append(qs, randHash(rnd))
		}
	}
	for _, c := range []struct {
		batch   int
		budget  float64
		compact bool
	}{{1 << 16, 0, false}, {1 << 16, 0, true}, {n, 0, false}, {1 << 16, 104, false}, {1 << 16, 104, true}, {n, 120, false}} {
		batch := c.batch
		x := NewWithOptions(Options{MaxBytesPerHash: c.budget})
		for i := 0; i < n; i += batch {
			x.AddBatch(es[i:min(n, i+batch)])
		}
		if c.compact {
			x.Compact()
		}
		b.Run(fmt.Sprintf("batch=%d/budget=%v/compact=%v", batch, c.budget, c.compact), func(b *testing.B) {
			var st QueryStats
			for _, q := range qs[:128] {
				s := x.Explain(q, 31)
				st.Probes += s.Probes
				st.Entries += s.Entries
				st.Candidates += s.Candidates
			}
			b.Logf("%s\nper query: %d probes, %d entries, %d candidates", x.Describe(),
				st.Probes/128, st.Entries/128, st.Candidates/128)
			var dst []Match
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			c0 := threadCPU()
			for i := 0; b.Loop(); i++ {
				dst = x.Search(qs[i%len(qs)], 31, dst[:0])
			}
			b.ReportMetric(float64(threadCPU()-c0)/float64(b.N), "cpu-ns/op")
		})
	}
}
