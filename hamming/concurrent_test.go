package hamming

import (
	"bytes"
	"slices"
	"sync"
	"testing"
)

// TestConcurrent searches and snapshots while a writer adds, replaces and
// removes other entries (forcing flushes, merges, compactions and Compact
// calls): entries that are never touched must always be found. Run with
// -race.
func TestConcurrent(t *testing.T) {
	rnd := newRand(8)
	stable := clustered(rnd, 3000)
	churn := clustered(newRand(9), 6000)
	for i := range churn {
		churn[i].ID += 1 << 32
	}
	x := New()
	x.AddBatch(stable)
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() { // writer
		defer wg.Done()
		defer close(done)
		w := newRand(10)
		for i, e := range churn {
			x.Add(e.ID, e.Hash)
			if i%3 == 0 {
				x.Remove(churn[w.IntN(i+1)].ID)
			}
			if i%1000 == 999 {
				x.AddBatch(churn[i-500 : i])
			}
			if i%1500 == 1499 {
				x.Compact()
			}
		}
	}()
	for g := range 2 {
		wg.Add(1)
		go func() { // readers
			defer wg.Done()
			r := newRand(uint64(20 + g))
			var got []Match
			for k := 0; ; k++ {
				select {
				case <-done:
					return
				default:
				}
				e := stable[r.IntN(len(stable))]
				q := flip(r, e.Hash, r.IntN(10))
				got = x.Search(q, 31, got[:0])
				if !slices.ContainsFunc(got, func(m Match) bool { return m.ID == e.ID }) {
					t.Errorf("stable id %d not found", e.ID)
					return
				}
				if k%200 == 0 {
					var buf bytes.Buffer
					if _, err := x.WriteTo(&buf); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}
