package hamming

import (
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
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
	m, d := len(s.lay.boxes), s.lay.dirBits
	// One slab each for all tables' entries and offsets: fewer, larger
	// arrays get more of their memory in huge pages.
	ents := makeHuge[uint32](m * len(ids))
	offs := makeHuge[uint32](m * (1<<d + 1))
	s.tabs = make([]table, m)
	for i := range s.tabs {
		s.tabs[i].ent = ents[i*len(ids) : (i+1)*len(ids) : (i+1)*len(ids)]
		s.tabs[i].off = offs[i*(1<<d+1) : (i+1)*(1<<d+1) : (i+1)*(1<<d+1)]
	}
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(s.tabs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(s.tabs); i = int(next.Add(1)) - 1 {
				buildTable(hs, s.lay, &s.lay.boxes[i], &s.tabs[i])
			}
		}()
	}
	wg.Wait()
	return s
}

// buildTable sorts positions by directory prefix, stably, so that within a
// bucket positions stay ascending. It is a two-digit MSD radix sort: the
// first pass scatters into at most 4096 runs (few enough that every run's
// write position stays in cache), the second sorts each run in cache. A
// one-pass counting sort would miss the cache on nearly every write.
func buildTable(hs []words, lay *layout, b *box, tab *table) {
	d, e := lay.dirBits, lay.extraBits
	lo := d / 2
	hi := d - lo
	loMask := uint32(1)<<lo - 1
	n := len(hs)
	start := make([]uint32, 1<<hi+1)
	for p := range hs {
		start[bitsAt(&hs[p], b.start, d)>>lo+1]++
	}
	for v := 1; v < len(start); v++ {
		start[v] += start[v-1]
	}
	cur := slices.Clone(start[:1<<hi])
	tmp := make([]uint64, n) // low prefix digit << 32 | entry
	for p := range hs {
		h := &hs[p]
		v := bitsAt(h, b.start, d)
		ent := uint32(p) | bitsAt(h, b.start+d, e)<<lay.posBits
		tmp[cur[v>>lo]] = uint64(v&loMask)<<32 | uint64(ent)
		cur[v>>lo]++
	}
	off, ent := tab.off, tab.ent
	cnt := make([]uint32, 1<<lo+1)
	for h := range 1 << hi {
		run := tmp[start[h]:start[h+1]]
		clear(cnt)
		for _, r := range run {
			cnt[r>>32+1]++
		}
		base := start[h]
		for l := range 1 << lo {
			off[h<<lo+l] = base + cnt[l]
			cnt[l+1] += cnt[l]
		}
		for _, r := range run {
			l := r >> 32
			ent[base+cnt[l]] = uint32(r)
			cnt[l]++
		}
	}
	off[1<<d] = uint32(n)
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
// The work is split into passes over small arrays — bucket bounds for all
// probed tables, then bucket contents, then candidate hashes — so that the
// loads of a pass do not depend on each other and the CPU overlaps their
// cache misses; probing bucket by bucket would wait for each miss in turn.
func (s *segment) search(q *words, r int, sc *scratch, out []Match) []Match {
	p := s.plan(r)
	if p.linear {
		return s.scan(q, r, out)
	}
	lay := s.lay
	m := len(p.t)
	var t0 time.Time
	if devTiming {
		t0 = time.Now()
	}
	// Pass 1: bucket bounds of every probed prefix of every probed box.
	// Masks come in ascending order, so prefixes sharing their high bits
	// (and so the cache lines of off and ent) are probed one after another.
	rs := sc.ranges[:0]
	for i, t := range p.t {
		if t < 0 {
			continue
		}
		off := s.tabs[i].off
		qp := bitsAt(q, lay.boxes[i].start, lay.dirBits)
		for _, mk := range masksUpTo(lay.dirBits, int(t)) {
			v := qp ^ mk
			rs = append(rs, span{off[v], off[v+1], uint32(i)<<8 | uint32(bits.OnesCount32(mk))})
		}
	}
	sc.ranges = rs
	if devTiming {
		devTimes[0] += time.Since(t0)
		t0 = time.Now()
	}
	// Pass 2: touch the bucket ends.
	var sink uint32
	for _, sp := range rs {
		if ent := s.tabs[sp.tw>>8].ent; sp.lo < sp.hi {
			sink += ent[sp.lo] + ent[sp.hi-1]
		}
	}
	if devTiming {
		devTimes[1] += time.Since(t0) + time.Duration(sink&0)
		t0 = time.Now()
	}
	// Pass 3: filter the entries by their extra bits.
	cands := sc.cands[:0]
	for k := 0; k < len(rs); {
		i := int(rs[k].tw >> 8)
		j := k + 1
		for j < len(rs) && int(rs[j].tw>>8) == i {
			j++
		}
		t := int(p.t[i])
		cands = s.filter(i, t, t+int(p.t[(i+1)%m])+1, q, rs[k:j], cands)
		k = j
	}
	sc.cands = cands
	if devTiming {
		devTimes[2] += time.Since(t0)
		t0 = time.Now()
	}
	// Pass 4: touch, then verify the candidates.
	hs := s.hs
	for _, c := range cands {
		sink += uint32(hs[c][0])
	}
	sc.sink += uint64(sink)
	for _, c := range cands {
		if d := dist(&hs[c], q); d <= r && !s.isDead(c) {
			out = append(out, Match{ID: s.ids[c], Distance: d})
		}
	}
	if devTiming {
		devTimes[3] += time.Since(t0)
	}
	return out
}

var devTiming bool
var devTimes [4]time.Duration

// filter appends to cands the positions in box i's buckets rs whose box is
// within t of q's and whose boxes i and i+1 together are within chain of
// q's (the pigeonring condition; see doc.go), as far as the entry's extra
// bits tell.
func (s *segment) filter(i, t, chain int, q *words, rs []span, cands []uint32) []uint32 {
	lay := s.lay
	b := &lay.boxes[i]
	ent := s.tabs[i].ent
	qe := bitsAt(q, b.start+lay.dirBits, lay.extraBits)
	km, cm := b.keyMask, b.chainMask
	shift := lay.posBits
	pm := uint32(1)<<shift - 1
	for _, sp := range rs {
		w := int(sp.tw & 0xff)
		lim, climb := t-w, chain-w
		for _, e := range ent[sp.lo:sp.hi] {
			x := e>>shift ^ qe
			a := bits.OnesCount32(x & km)
			if a <= lim && a+bits.OnesCount32(x&cm) <= climb {
				cands = append(cands, e&pm)
			}
		}
	}
	return cands
}

// span is the bucket ent[lo:hi] of table tw>>8, probed at prefix distance
// tw&0xff.
type span struct{ lo, hi, tw uint32 }

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
