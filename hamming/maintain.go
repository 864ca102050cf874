package hamming

import (
	"runtime"
	"slices"
)

// maxSegment caps a segment's size so that positions fit entries with
// spare bits; larger indexes simply keep several segments.
const maxSegment = 1 << 30

// flush turns the tail into a segment. Callers hold wmu, which is all that
// is needed to read segments and tail: only writers change them.
func (x *Index) flush() {
	if len(x.tail) == 0 {
		return
	}
	es := make([]Entry, len(x.tail))
	for i := range x.tail {
		es[i] = Entry{ID: x.tail[i], Hash: x.th[i].hash()}
	}
	ids, hs := sortEntries(es)
	seg := newSegment(ids, hs, &x.opts)
	x.mu.Lock()
	x.segs = append(x.segs, seg)
	x.tail, x.th = x.tail[:0], x.th[:0]
	x.mu.Unlock()
	x.mergeSmall()
}

// mergeSmall keeps segment sizes at least halving from one to the next,
// which bounds their number by log2(n/tailMax) and makes each hash take
// part in O(log n) rebuilds.
func (x *Index) mergeSmall() {
	for {
		k := len(x.segs)
		if k < 2 {
			return
		}
		a, b := x.segs[k-2], x.segs[k-1]
		if b.live()*2 < a.live() || a.live()+b.live() > maxSegment {
			return
		}
		ids, hs := mergeLive(a, b)
		var seg *segment
		if len(ids) > 0 {
			seg = newSegment(ids, hs, &x.opts)
		}
		x.mu.Lock()
		x.segs = x.segs[:k-2]
		if seg != nil {
			x.segs = append(x.segs, seg)
		}
		x.mu.Unlock()
	}
}

// compactSparse rebuilds segments that are more than half tombstones.
func (x *Index) compactSparse() {
	for i := 0; i < len(x.segs); i++ {
		s := x.segs[i]
		if s.ndead*2 <= s.n {
			continue
		}
		ids, hs := mergeLive(s, nil)
		var seg *segment
		if len(ids) > 0 {
			seg = newSegment(ids, hs, &x.opts)
		}
		x.mu.Lock()
		if seg != nil {
			x.segs[i] = seg
		} else {
			x.segs = slices.Delete(x.segs, i, i+1)
			i--
		}
		slices.SortStableFunc(x.segs, func(a, b *segment) int { return b.live() - a.live() })
		x.mu.Unlock()
	}
	x.mergeSmall()
}

// mergeLive returns the live entries of a and b (b may be nil) in id
// order. Live ids are unique across segments.
func mergeLive(a, b *segment) ([]uint64, []words) {
	n := a.live()
	if b != nil {
		n += b.live()
	}
	ids := makeHuge[uint64](n)[:0]
	hs := makeHuge[words](n)[:0]
	i, j := 0, 0
	next := func(s *segment, p *int) bool { // advance past tombstones
		for s != nil && *p < s.n && s.isDead(uint32(*p)) {
			*p++
		}
		return s != nil && *p < s.n
	}
	for {
		okA, okB := next(a, &i), next(b, &j)
		switch {
		case okA && (!okB || a.ids.at(i) < b.ids.at(j)):
			ids, hs = append(ids, a.ids.at(i)), append(hs, a.hs[i])
			i++
		case okB:
			ids, hs = append(ids, b.ids.at(j)), append(hs, b.hs[j])
			j++
		default:
			return ids, hs
		}
	}
}

// sortEntries returns the entries' ids in ascending order with their
// hashes, keeping the last entry of each id.
func sortEntries(es []Entry) ([]uint64, []words) {
	sorted := true
	for i := 1; i < len(es) && sorted; i++ {
		sorted = es[i-1].ID < es[i].ID
	}
	if sorted {
		ids := makeHuge[uint64](len(es))
		hs := makeHuge[words](len(es))
		parallel(runtime.GOMAXPROCS(0), len(es), func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				ids[i], hs[i] = es[i].ID, toWords(&es[i].Hash)
			}
		})
		return ids, hs
	}
	if ids, hs := permutationSort(es); ids != nil {
		return ids, hs
	}
	order := denseOrder(es)
	if order == nil {
		order = radixOrder(es)
	}
	// Keep the last of each run of equal ids (the sort is stable).
	k := 0
	for j := range order {
		if j+1 < len(order) && order[j+1].id == order[j].id {
			continue
		}
		order[k] = order[j]
		k++
	}
	order = order[:k]
	ids := makeHuge[uint64](k)
	hs := makeHuge[words](k)
	parallel(runtime.GOMAXPROCS(0), k, func(_, lo, hi int) {
		for j := lo; j < hi; j++ {
			ids[j], hs[j] = order[j].id, toWords(&es[order[j].idx].Hash)
		}
	})
	return ids, hs
}

// permutationSort handles ids that are a permutation of a range (all rows
// of a table, say): each entry is written straight to its place, which
// costs random writes instead of a sort and random reads. Nil otherwise.
func permutationSort(es []Entry) ([]uint64, []words) {
	lo, hi := es[0].ID, es[0].ID
	for i := range es {
		lo, hi = min(lo, es[i].ID), max(hi, es[i].ID)
	}
	if hi-lo != uint64(len(es)-1) {
		return nil, nil
	}
	seen := make([]uint64, (len(es)+63)/64)
	for i := range es {
		v := es[i].ID - lo
		if seen[v/64]&(1<<(v%64)) != 0 {
			return nil, nil // a repeated id: not a permutation
		}
		seen[v/64] |= 1 << (v % 64)
	}
	ids := makeHuge[uint64](len(es))
	hs := makeHuge[words](len(es))
	parallel(runtime.GOMAXPROCS(0), len(es), func(_, a, b int) {
		for i := a; i < b; i++ {
			v := es[i].ID - lo
			ids[v], hs[v] = es[i].ID, toWords(&es[i].Hash)
		}
	})
	return ids, hs
}

// denseOrder is radixOrder for ids spanning less than 4 times their
// number (database row ids, mostly): one placement by id instead of a
// sort. A later entry of an id replaces an earlier one. Nil for sparse ids.
func denseOrder(es []Entry) []idRec {
	lo, hi := es[0].ID, es[0].ID
	for i := range es {
		lo, hi = min(lo, es[i].ID), max(hi, es[i].ID)
	}
	if hi-lo >= 4*uint64(len(es)) || len(es) >= 1<<31 {
		return nil
	}
	slot := makeHuge[uint32](int(hi-lo) + 1) // index+1 of the entry, 0: none
	for i := range es {
		slot[es[i].ID-lo] = uint32(i) + 1
	}
	out := makeHuge[idRec](len(es))[:0]
	for v, i := range slot {
		if i != 0 {
			out = append(out, idRec{lo + uint64(v), i - 1})
		}
	}
	return out
}

type idRec struct {
	id  uint64
	idx uint32
}

// radixOrder returns the ids of es with their indexes, stably sorted by id
// (LSD radix sort, 8 bits a pass, skipping passes where all ids share the
// digit).
func radixOrder(es []Entry) []idRec {
	a := makeHuge[idRec](len(es))
	for i := range es {
		a[i] = idRec{es[i].ID, uint32(i)}
	}
	b := makeHuge[idRec](len(es))
	for shift := uint(0); shift < 64; shift += 8 {
		var cnt [257]int
		for i := range a {
			cnt[int(byte(a[i].id>>shift))+1]++
		}
		if slices.Contains(cnt[1:], len(a)) {
			continue
		}
		for d := 1; d < 257; d++ {
			cnt[d] += cnt[d-1]
		}
		for i := range a {
			d := byte(a[i].id >> shift)
			b[cnt[d]] = a[i]
			cnt[d]++
		}
		a, b = b, a
	}
	return a
}

// Compact merges every segment and the tail into one segment. Each segment
// costs a search its own directory probes, so an index loaded in several
// AddBatch calls (which leave segments of halving sizes) answers faster
// after it: at 1M hashes loaded in batches of 65,536, three segments cost
// 1.6-1.9 times one. It rebuilds all tables, about one AddBatch of the
// whole index; searches go on meanwhile and wait only for the swap.
func (x *Index) Compact() {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	x.flush()
	if len(x.segs) < 2 {
		return
	}
	n := 0
	for _, s := range x.segs {
		n += s.live()
	}
	if n > maxSegment {
		return
	}
	es := make([]Entry, 0, n)
	for _, s := range x.segs {
		for p := 0; p < s.n; p++ {
			if !s.isDead(uint32(p)) {
				es = append(es, Entry{ID: s.ids.at(p), Hash: s.hs[p].hash()})
			}
		}
	}
	ids, hs := sortEntries(es) // live ids are unique across segments
	es = nil
	seg := newSegment(ids, hs, &x.opts)
	x.mu.Lock()
	x.segs = []*segment{seg}
	x.mu.Unlock()
}
