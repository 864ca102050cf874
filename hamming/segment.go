package hamming

import (
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// segment is an immutable set of hashes sorted by id, with its tables. Only
// its tombstones change after it is built (under Index.mu).
type segment struct {
	ids   []uint64 // ascending, unique
	hs    []words  // hs[p] is the hash of ids[p]
	dead  []uint64 // tombstone bitmap over positions
	ndead int
	lay   *layout // nil: searched by linear scan
	tabs  []table
	plans [257]atomic.Pointer[plan]
}

// table indexes one box: entries of the bucket of directory prefix v are
// ent[off[v]:off[v+1]], each packing position and extra bits.
type table struct {
	off []uint32
	ent []uint32
}

func (s *segment) live() int { return len(s.ids) - s.ndead }

func (s *segment) isDead(p uint32) bool { return s.dead[p>>6]&(1<<(p&63)) != 0 }

// find returns the position of id, or -1.
func (s *segment) find(id uint64) int {
	p, ok := slices.BinarySearch(s.ids, id)
	if !ok {
		return -1
	}
	return p
}

func (s *segment) kill(p int) {
	s.dead[p>>6] |= 1 << (uint(p) & 63)
	s.ndead++
}

// newSegment builds a segment over ids (ascending, unique) and hs, taking
// ownership of both slices.
func newSegment(ids []uint64, hs []words, o *Options) *segment {
	s := &segment{ids: ids, hs: hs, dead: make([]uint64, (len(ids)+63)/64)}
	s.lay = chooseLayout(len(ids), o.TuneRadius, o.TableBytesPerHash)
	if s.lay == nil {
		return s
	}
	s.tabs = make([]table, len(s.lay.boxes))
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(s.tabs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(s.tabs); i = int(next.Add(1)) - 1 {
				s.tabs[i] = buildTable(hs, s.lay, &s.lay.boxes[i])
			}
		}()
	}
	wg.Wait()
	return s
}

// buildTable counting-sorts positions by directory prefix; within a bucket
// positions stay ascending.
func buildTable(hs []words, lay *layout, b *box) table {
	d, e := lay.dirBits, lay.extraBits
	off := make([]uint32, 1<<d+1)
	for p := range hs {
		off[bitsAt(&hs[p], b.start, d)+1]++
	}
	for v := 1; v < len(off); v++ {
		off[v] += off[v-1]
	}
	cur := slices.Clone(off[:1<<d])
	ent := make([]uint32, len(hs))
	for p := range hs {
		h := &hs[p]
		v := bitsAt(h, b.start, d)
		ent[cur[v]] = uint32(p) | bitsAt(h, b.start+d, e)<<lay.posBits
		cur[v]++
	}
	return table{off: off, ent: ent}
}

// plan returns the cached plan for radius r (0..256).
func (s *segment) plan(r int) *plan {
	if p := s.plans[r].Load(); p != nil {
		return p
	}
	p := makePlan(s.lay, len(s.ids), r)
	s.plans[r].Store(p)
	return p
}

// search appends the live entries within distance r of q to out.
//
// The work is split into passes over small arrays (bucket bounds, then
// bucket contents, then candidate hashes) so that the loads of one pass
// are independent of each other and the CPU overlaps their cache misses;
// probing bucket by bucket would wait for each miss in turn.
func (s *segment) search(q *words, r int, sc *scratch, out []Match) []Match {
	p := s.plan(r)
	if p.linear {
		return s.scan(q, r, out)
	}
	cands := sc.cands[:0]
	m := len(p.t)
	for i, t8 := range p.t {
		if t8 >= 0 {
			cands = s.probe(i, int(t8), int(t8)+int(p.t[(i+1)%m])+1, q, sc, cands)
		}
	}
	sc.cands = cands
	hs := s.hs
	var sink uint64
	for _, c := range cands { // touch: start all candidate misses
		sink += hs[c][0]
	}
	for _, c := range cands {
		if d := dist(&hs[c], q); d <= r && !s.isDead(c) {
			out = append(out, Match{ID: s.ids[c], Distance: d})
		}
	}
	sc.sink += sink
	return out
}

// probe appends to cands the positions whose box i is within t of q's and
// whose boxes i and i+1 together are within chain of q's (the pigeonring
// condition; see doc.go), as far as the entry's extra bits tell.
func (s *segment) probe(i, t, chain int, q *words, sc *scratch, cands []uint32) []uint32 {
	lay := s.lay
	b := &lay.boxes[i]
	tab := &s.tabs[i]
	qp := bitsAt(q, b.start, lay.dirBits)
	qe := bitsAt(q, b.start+lay.dirBits, lay.extraBits)
	off, ent := tab.off, tab.ent
	// Pass 1: bucket bounds of every probed prefix.
	rs := sc.ranges[:0]
	for w := 0; w <= t; w++ {
		for _, mk := range masks(lay.dirBits, w) {
			v := qp ^ mk
			rs = append(rs, span{off[v], off[v+1], uint32(w)})
		}
	}
	sc.ranges = rs
	// Pass 2: touch the first entry of every non-empty bucket.
	var sink uint32
	for _, r := range rs {
		if r.lo < r.hi {
			sink += ent[r.lo]
		}
	}
	sc.sink += uint64(sink)
	// Pass 3: filter the entries.
	km, cm := b.keyMask, b.chainMask
	shift := lay.posBits
	pm := uint32(1)<<shift - 1
	for _, r := range rs {
		lim, climb := t-int(r.w), chain-int(r.w)
		for _, e := range ent[r.lo:r.hi] {
			x := e>>shift ^ qe
			a := bits.OnesCount32(x & km)
			if a <= lim && a+bits.OnesCount32(x&cm) <= climb {
				cands = append(cands, e&pm)
			}
		}
	}
	return cands
}

// span is the bucket ent[lo:hi] probed at prefix distance w.
type span struct{ lo, hi, w uint32 }

// scan is the linear search of a segment.
func (s *segment) scan(q *words, r int, out []Match) []Match {
	for p := range s.hs {
		if d := dist(&s.hs[p], q); d <= r && !s.isDead(uint32(p)) {
			out = append(out, Match{ID: s.ids[p], Distance: d})
		}
	}
	return out
}

type scratch struct {
	cands  []uint32
	ranges []span
	sink   uint64 // keeps touch loads from being optimised away
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}
