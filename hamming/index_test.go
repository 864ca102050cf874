package hamming

import (
	"bytes"
	"fmt"
	"testing"
)

// searcher is what Index and Linear have in common.
type searcher interface {
	Search(q Hash, radius int, dst []Match) []Match
	Len() int
}

func checkAll(t *testing.T, what string, x searcher, ref *Linear, qs []Hash, radii []int) {
	t.Helper()
	if x.Len() != ref.Len() {
		t.Fatalf("%s: Len %d, want %d", what, x.Len(), ref.Len())
	}
	var got, want []Match
	for _, q := range qs {
		for _, r := range radii {
			got = x.Search(q, r, got[:0])
			want = ref.Search(q, r, want[:0])
			sameResults(t, what, q, r, got, want)
		}
	}
}

func radiiUpTo(n int) []int {
	rs := make([]int, 0, n+1)
	for r := 0; r <= n; r++ {
		rs = append(rs, r)
	}
	return rs
}

// TestRandomAgainstLinear runs bulk loads, interleaved adds, re-adds and
// removes, and a snapshot round trip, comparing every query at radii
// 0..64 with brute force.
func TestRandomAgainstLinear(t *testing.T) {
	sizes := []int{0, 1, 50, 3000, 12000}
	seeds := 4
	if testing.Short() {
		sizes, seeds = []int{0, 1, 50, 3000}, 3
	}
	for _, n := range sizes {
		for seed := range seeds {
			t.Run(fmt.Sprintf("n=%d/seed=%d", n, seed), func(t *testing.T) {
				rnd := newRand(uint64(seed*1000 + n))
				es := clustered(rnd, n)
				// Budgets above the default pick other layouts (16 boxes).
				opts := Options{TuneRadius: []int{31, 8, 63}[seed%3], MaxBytesPerHash: []float64{0, 104, 128, 0}[seed%4]}
				x := NewWithOptions(opts)
				ref := NewLinear()
				half := n / 2
				x.AddBatch(es[:half])
				for _, e := range es[:half] {
					ref.Add(e.ID, e.Hash)
				}
				for i, e := range es[half:] {
					x.Add(e.ID, e.Hash)
					ref.Add(e.ID, e.Hash)
					switch op := rnd.IntN(10); {
					case op == 0: // remove a random id, present or not
						id := uint64(rnd.IntN(n + 10))
						if a, b := x.Remove(id), ref.Remove(id); a != b {
							t.Fatalf("Remove(%d) = %v, want %v", id, a, b)
						}
					case op == 1 && i > 0: // re-add an id with a new hash
						e2 := es[rnd.IntN(half+i)]
						h := flip(rnd, e2.Hash, rnd.IntN(20))
						x.Add(e2.ID, h)
						ref.Add(e2.ID, h)
					}
				}
				// A batch re-adding a third of the ids with new hashes, and
				// some new ones.
				var batch []Entry
				for _, e := range es {
					if rnd.IntN(3) == 0 {
						batch = append(batch, Entry{ID: e.ID, Hash: flip(rnd, e.Hash, rnd.IntN(8))})
					}
				}
				batch = append(batch, Entry{ID: uint64(n + 100), Hash: randHash(rnd)})
				x.AddBatch(batch)
				for _, e := range batch {
					ref.Add(e.ID, e.Hash)
				}
				qs := queries(rnd, es, 40, 31)
				checkAll(t, "after updates", x, ref, qs, radiiUpTo(64))
				checkAll(t, "large radii", x, ref, qs[:2], []int{-1, 100, 255, 256, 300})
				x.Compact()
				if k := len(x.segs); n > 0 && k != 1 {
					t.Fatalf("%d segments after Compact", k)
				}
				checkAll(t, "after Compact", x, ref, qs[:10], radiiUpTo(64))

				var buf bytes.Buffer
				if _, err := x.WriteTo(&buf); err != nil {
					t.Fatal(err)
				}
				y, err := LoadWithOptions(&buf, opts)
				if err != nil {
					t.Fatal(err)
				}
				checkAll(t, "after snapshot", y, ref, qs[:10], radiiUpTo(64))
			})
		}
	}
}

// TestLayouts checks exactness of many table layouts directly, including
// ones the chooser would not pick, at radii 0..64.
func TestLayouts(t *testing.T) {
	n := 6000
	rnd := newRand(7)
	es := clustered(rnd, n)
	ref := NewLinear()
	for _, e := range es {
		ref.Add(e.ID, e.Hash)
	}
	ids, hs := sortEntries(es)
	qs := queries(rnd, es, 12, 24)
	want := make([][][]Match, len(qs)) // brute force once for all layouts
	for i, q := range qs {
		for r := 0; r <= 64; r++ {
			want[i] = append(want[i], ref.Search(q, r, nil))
		}
	}
	step := 3
	if testing.Short() {
		step = 7
	}
	for m := 4; m <= 24; m += step {
		for _, d := range []uint{6, 9, 11, 13} {
			for _, eb := range []uint{4 + uint(m+int(d))%2} { // both widths, alternately
				lay := newLayout(n, m, d, eb)
				if lay == nil {
					continue
				}
				s := &segment{n: n, ids: newIDList(ids), hs: hs, dead: make([]uint64, (n+63)/64), lay: lay, tablesOnly: true}
				s.allocTables()
				for i := range lay.boxes {
					_, hi := digits(d)
					start := make([]uint32, 1<<hi+1)
					for p := range hs {
						k := bitsAt64(&hs[p], lay.boxes[i].start, d+lay.extraBits)
						putEntry(s.tabs[i].ent, p, int(eb), k)
						start[k&(1<<d-1)>>(d-hi)+1]++
					}
					sortTable(lay, n, &s.tabs[i], make([]uint64, n), start)
				}
				x := &Index{segs: []*segment{s}, n: n}
				what := lay.String()
				var got []Match
				for i, q := range qs {
					for r := 0; r <= 64; r++ {
						got = x.Search(q, r, got[:0])
						sameResults(t, what, q, r, got, want[i][r])
					}
				}
				// The layout survives a snapshot.
				y, err := Load(bytes.NewReader(snapshotOf(t, x)))
				if err != nil {
					t.Fatal(err)
				}
				if got := y.segs[0].lay.String(); got != what {
					t.Fatalf("loaded layout %s, saved %s", got, what)
				}
				for _, r := range []int{0, 31} {
					sameResults(t, "loaded "+what, qs[0], r, y.Search(qs[0], r, nil), want[0][r])
				}
			}
		}
	}
}

// TestDirectoryOverflow has 70,000 copies of one hash, more than a
// compressed directory block can count, next to other hashes.
func TestDirectoryOverflow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 80,000 hashes")
	}
	rnd := newRand(11)
	h := randHash(rnd)
	var es []Entry
	for i := range 70000 {
		es = append(es, Entry{ID: uint64(i), Hash: h})
	}
	es = append(es, clustered(rnd, 10000)...)
	for i := 70000; i < len(es); i++ {
		es[i].ID = uint64(i)
	}
	x := New()
	x.AddBatch(es)
	full := 0
	for _, tab := range x.segs[0].tabs {
		if tab.dir.full != nil {
			full++
		}
	}
	if full == 0 {
		t.Fatal("no table fell back to plain offsets")
	}
	ref := LinearFrom(es)
	checkAll(t, "overflow", x, ref, append(queries(rnd, es[70000:], 5, 31), h), []int{0, 16, 31})
	y, err := Load(bytes.NewReader(snapshotOf(t, x)))
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, "overflow loaded", y, ref, []Hash{h, flip(rnd, h, 20)}, []int{0, 31})
}

func TestEdgeCases(t *testing.T) {
	x := New()
	var zero Hash
	if got := x.Search(zero, 31, nil); len(got) != 0 {
		t.Fatalf("empty index: %v", got)
	}
	if x.Remove(42) {
		t.Fatal("Remove of absent id reported true")
	}
	// Duplicate hashes under different ids, and an id re-added.
	h := randHash(newRand(1))
	x.Add(1, h)
	x.Add(2, h)
	x.Add(3, zero)
	x.Add(3, h) // replaces
	got := x.Search(h, 0, nil)
	want := []Match{{1, 0}, {2, 0}, {3, 0}}
	sameResults(t, "duplicates", h, 0, got, want)
	if x.Len() != 3 {
		t.Fatalf("Len = %d, want 3", x.Len())
	}
	if got := x.Search(zero, 0, nil); len(got) != 0 {
		t.Fatalf("replaced hash still found: %v", got)
	}
	// Radius beyond 256 matches everything; negative matches nothing.
	if got := x.Search(zero, 1000, nil); len(got) != 3 {
		t.Fatalf("radius 1000: %d matches, want 3", len(got))
	}
	if got := x.Search(h, -5, nil); len(got) != 0 {
		t.Fatalf("negative radius: %v", got)
	}
	// dst is appended to, not overwritten.
	prefix := []Match{{99, 7}}
	got = x.Search(h, 0, prefix)
	if len(got) != 4 || got[0] != (Match{99, 7}) {
		t.Fatalf("append to dst: %v", got)
	}
	if !x.Remove(2) || x.Remove(2) {
		t.Fatal("Remove(2) twice: want true then false")
	}
	// Empty AddBatch, and a batch with a repeated id (the last wins).
	x.AddBatch(nil)
	x.AddBatch([]Entry{{ID: 5, Hash: zero}, {ID: 5, Hash: h}})
	sameResults(t, "batch", h, 0, x.Search(h, 0, nil), []Match{{1, 0}, {3, 0}, {5, 0}})
}

func TestDistance(t *testing.T) {
	var a, b Hash
	if Distance(a, b) != 0 {
		t.Fatal("zero hashes")
	}
	for i := range b {
		b[i] = 0xff
	}
	if d := Distance(a, b); d != 256 {
		t.Fatalf("Distance = %d, want 256", d)
	}
	b[3] = 0xfe
	if d := Distance(a, b); d != 255 {
		t.Fatalf("Distance = %d, want 255", d)
	}
}
