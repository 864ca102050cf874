package hamming

import (
	"encoding/binary"
	"math/bits"
	"sync"
	"sync/atomic"
)

// segment is an immutable set of hashes sorted by id, with its tables. Only
// its tombstones change after it is built (under Index.mu).
type segment struct {
	n     int
	ids   idList   // ascending, unique
	hs    []words  // hs[p] is the hash of ids.at(p)
	dead  []uint64 // tombstone bitmap over positions
	ndead int
	lay   *layout // nil: searched by linear scan
	tabs  []table
	plans [257]atomic.Pointer[plan]
	// tablesOnly makes plans use the tables whenever they can, even where
	// a linear scan would be cheaper (for tests).
	tablesOnly bool
}

// table indexes one box: the entries of the bucket of directory prefix v
// are those numbered dir.bounds(v), entry k taking bytes ent[k*b:(k+1)*b]
// (b = entryBytes) and packing position and extra bits. ent has 8 bytes
// beyond its last entry, so that every entry can be read as one uint64.
type table struct {
	dir directory
	ent []byte
}

// entryAt returns entry k of ent, of b bytes, in the low bits of a uint64
// (higher bits belong to the next entry).
func entryAt(ent []byte, k, b int) uint64 {
	return binary.LittleEndian.Uint64(ent[k*b : k*b+8])
}

func (s *segment) live() int { return s.n - s.ndead }

func (s *segment) isDead(p uint32) bool { return s.dead[p>>6]&(1<<(p&63)) != 0 }

// find returns the position of id, or -1.
func (s *segment) find(id uint64) int { return s.ids.find(id) }

// findAll returns the positions of the live entries whose ids are in ids
// (ascending): by binary search when ids are few, else by one merge walk.
func (s *segment) findAll(ids []uint64) []int {
	var out []int
	if len(ids)*bits.Len(uint(s.n)) < s.n {
		for _, id := range ids {
			if p := s.find(id); p >= 0 && !s.isDead(uint32(p)) {
				out = append(out, p)
			}
		}
		return out
	}
	for p, j := 0, 0; p < s.n && j < len(ids); {
		switch id := s.ids.at(p); {
		case id < ids[j]:
			p++
		case id > ids[j]:
			j++
		default:
			if !s.isDead(uint32(p)) {
				out = append(out, p)
			}
			p++
			j++
		}
	}
	return out
}

func (s *segment) kill(p int) {
	s.dead[p>>6] |= 1 << (uint(p) & 63)
	s.ndead++
}

// plan returns the cached plan for radius r (0..256).
func (s *segment) plan(r int) *plan {
	if p := s.plans[r].Load(); p != nil {
		return p
	}
	p := makePlanLinear(s.lay, s.n, r, !s.tablesOnly).withFilters(s.lay)
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
	// Pass 1: bucket bounds of every probed prefix of every probed box.
	// Masks come in ascending order, so prefixes sharing their high bits
	// (and so the cache lines of off and ent) are probed one after another.
	rs := sc.ranges[:0]
	for i, t := range p.t {
		if t < 0 {
			continue
		}
		dir := &s.tabs[i].dir
		qp := bitsAt(q, lay.boxes[i].start, lay.dirBits)
		if dir.full != nil {
			for _, mk := range masksUpTo(lay.dirBits, int(t)) {
				v := qp ^ mk&(1<<weightShift-1)
				rs = append(rs, span{dir.full[v], dir.full[v+1], uint32(i)<<8 | mk>>weightShift})
			}
			continue
		}
		base, rel := dir.base, dir.rel
		for _, mk := range masksUpTo(lay.dirBits, int(t)) {
			v := qp ^ mk&(1<<weightShift-1)
			lo := base[v/dirBlock] + uint32(rel[v])
			hi := base[(v+1)/dirBlock] + uint32(rel[v+1])
			rs = append(rs, span{lo, hi, uint32(i)<<8 | mk>>weightShift})
		}
	}
	sc.ranges = rs
	// Pass 2: touch the bucket ends.
	var sink byte
	eb := int(lay.entryBytes)
	for _, sp := range rs {
		if ent := s.tabs[sp.tw>>8].ent; sp.lo < sp.hi {
			sink += ent[int(sp.lo)*eb] + ent[int(sp.hi)*eb-1]
		}
	}
	// Pass 3: filter the entries by their extra bits.
	cands := sc.cands[:0]
	for k := 0; k < len(rs); {
		i := int(rs[k].tw >> 8)
		j := k + 1
		for j < len(rs) && int(rs[j].tw>>8) == i {
			j++
		}
		cands = s.filter(i, &p.filt[i], q, rs[k:j], cands)
		k = j
	}
	sc.cands = cands
	// Pass 4: touch, then verify the candidates.
	hs := s.hs
	for _, c := range cands {
		sink += byte(hs[c][0])
	}
	sc.sink += uint64(sink)
	for _, c := range cands {
		if d := dist(&hs[c], q); d <= r && !s.isDead(c) {
			out = append(out, Match{ID: s.ids.at(int(c)), Distance: d})
		}
	}
	return out
}

// filter appends to cands the positions in box i's buckets rs whose box is
// within f.t of q's and whose boxes i and i+1 together are within f.chain
// of q's (the pigeonring condition; see doc.go), as far as the entry's
// extra bits tell.
func (s *segment) filter(i int, f *boxFilter, q *words, rs []span, cands []uint32) []uint32 {
	lay := s.lay
	ent := s.tabs[i].ent
	qe := bitsAt(q, lay.boxes[i].start+lay.dirBits, lay.extraBits)
	shift, eb := lay.posBits, int(lay.entryBytes)
	pm := uint64(1)<<shift - 1
	lm := f.mask
	for _, sp := range rs {
		lut := f.lut[sp.tw&0xff]
		for k := int(sp.lo); k < int(sp.hi); k++ {
			e := entryAt(ent, k, eb)
			x := (uint32(e>>shift) ^ qe) & lm
			if lut[x>>6]&(1<<(x&63)) != 0 {
				cands = append(cands, uint32(e&pm))
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
			out = append(out, Match{ID: s.ids.at(p), Distance: d})
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
