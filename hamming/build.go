package hamming

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// newSegment builds a segment over ids (ascending, unique) and hs, taking
// ownership of both slices.
func newSegment(ids []uint64, hs []words, o *Options) *segment {
	s := &segment{ids: ids, hs: hs, dead: make([]uint64, (len(ids)+63)/64)}
	s.lay = chooseLayout(len(ids), o.TuneRadius, o.TableBytesPerHash)
	if s.lay == nil {
		return s
	}
	n, m, d := len(ids), len(s.lay.boxes), s.lay.dirBits
	// One slab each for all tables' entries and offsets: fewer, larger
	// arrays get more of their memory in huge pages.
	ents := makeHuge[uint32](m * n)
	offs := makeHuge[uint32](m * (1<<d + 1))
	s.tabs = make([]table, m)
	for i := range s.tabs {
		s.tabs[i].ent = ents[i*n : (i+1)*n : (i+1)*n]
		s.tabs[i].off = offs[i*(1<<d+1) : (i+1)*(1<<d+1) : (i+1)*(1<<d+1)]
	}
	workers := runtime.GOMAXPROCS(0)
	// Pass 1, one read of the hashes for all tables: each table's entry
	// array first holds every position's key — the directory prefix and
	// the extra bits, contiguous on the ring, so one extraction.
	parallel(workers, n, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			h := &hs[p]
			for i := range s.tabs {
				s.tabs[i].ent[p] = bitsAt(h, s.lay.boxes[i].start, d+s.lay.extraBits)
			}
		}
	})
	// Pass 2, per table: sort positions by prefix, replacing keys by entries.
	var next atomic.Int32
	parallel(min(workers, m), m, func(int, int) {
		tmp := makeHuge[uint64](n)
		for i := int(next.Add(1)) - 1; i < m; i = int(next.Add(1)) - 1 {
			sortTable(s.lay, &s.tabs[i], tmp)
		}
	})
	return s
}

// parallel runs f over [0, n) split into k contiguous ranges.
func parallel(k, n int, f func(lo, hi int)) {
	if k <= 1 || n < 1<<16 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for j := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(j*n/k, (j+1)*n/k)
		}()
	}
	wg.Wait()
}

// sortTable turns tab.ent from keys indexed by position into entries sorted
// stably by prefix (so positions ascend within a bucket) and fills tab.off.
// It is a two-digit MSD radix sort: the first pass scatters into at most
// 4096 runs (few enough that every run's write position stays in cache),
// the second sorts each run in cache. A one-pass counting sort would miss
// the cache on nearly every write.
func sortTable(lay *layout, tab *table, tmp []uint64) {
	d := lay.dirBits
	lo := d / 2
	hi := d - lo
	dMask, loMask := uint32(1)<<d-1, uint32(1)<<lo-1
	off, ent := tab.off, tab.ent
	n := len(ent)
	start := make([]uint32, 1<<hi+1)
	for _, k := range ent {
		start[(k&dMask)>>lo+1]++
	}
	for v := 1; v < len(start); v++ {
		start[v] += start[v-1]
	}
	cur := make([]uint32, 1<<hi)
	copy(cur, start)
	for p, k := range ent {
		v := k & dMask
		e := uint32(p) | (k>>d)<<lay.posBits
		tmp[cur[v>>lo]] = uint64(v&loMask)<<32 | uint64(e)
		cur[v>>lo]++
	}
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
