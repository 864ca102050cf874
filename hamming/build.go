package hamming

import (
	"encoding/binary"
	"runtime"
	"sync"
	"sync/atomic"
)

// newSegment builds a segment over ids (ascending, unique) and hs, taking
// ownership of both slices.
func newSegment(ids []uint64, hs []words, o *Options) *segment {
	n := len(ids)
	s := &segment{n: n, ids: newIDList(ids), hs: hs, dead: make([]uint64, (n+63)/64)}
	s.lay = chooseLayout(n, o.TuneRadius, o.MaxBytesPerHash-fixedBytes(s.ids.bytes()))
	if s.lay == nil {
		return s
	}
	m := len(s.lay.boxes)
	s.allocTables()
	workers := runtime.GOMAXPROCS(0)
	// Pass 1, one read of the hashes for all tables: each table's entries
	// first hold every position's key — the directory prefix and the extra
	// bits, contiguous on the ring, so one extraction.
	d, e, eb := s.lay.dirBits, s.lay.extraBits, int(s.lay.entryBytes)
	parallel(workers, n, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			h := &hs[p]
			for i := range s.tabs {
				putEntry(s.tabs[i].ent, p, eb, bitsAt64(h, s.lay.boxes[i].start, d+e))
			}
		}
	})
	// Pass 2, per table: sort positions by prefix, replacing keys by entries.
	var next atomic.Int32
	parallel(min(workers, m), m, func(int, int) {
		tmp := makeHuge[uint64](n)
		for i := int(next.Add(1)) - 1; i < m; i = int(next.Add(1)) - 1 {
			sortTable(s.lay, n, &s.tabs[i], tmp)
		}
	})
	return s
}

// fixedBytes is the memory per hash outside the tables: the hash, the id
// and a tombstone bit.
func fixedBytes(idBytes int) float64 { return 32 + float64(idBytes) + 1.0/8 }

// allocTables allocates the entries of s.lay's tables in one slab (fewer,
// larger arrays get more of their memory in huge pages); directories are
// set when built.
func (s *segment) allocTables() {
	n, m, eb := s.n, len(s.lay.boxes), int(s.lay.entryBytes)
	ents := makeHuge[byte](m*n*eb + 8)
	s.tabs = make([]table, m)
	for i := range s.tabs {
		s.tabs[i].ent = ents[i*n*eb : (i+1)*n*eb+8 : (i+1)*n*eb+8]
	}
}

// putEntry writes v as entry k of b bytes, touching no other entry.
func putEntry(ent []byte, k, b int, v uint64) {
	binary.LittleEndian.PutUint32(ent[k*b:], uint32(v))
	if b == 5 {
		ent[k*b+4] = byte(v >> 32)
	}
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
// stably by prefix (so positions ascend within a bucket) and sets tab.dir.
// It is a two-digit MSD radix sort: the first pass scatters into at most
// 4096 runs (few enough that every run's write position stays in cache),
// the second sorts each run in cache. A one-pass counting sort would miss
// the cache on nearly every write.
func sortTable(lay *layout, n int, tab *table, tmp []uint64) {
	d, eb := lay.dirBits, int(lay.entryBytes)
	lo := d / 2
	hi := d - lo
	dMask, loMask := uint64(1)<<d-1, uint64(1)<<lo-1
	keyMask := uint64(1)<<(8*eb) - 1
	off, ent := make([]uint32, 1<<d+1), tab.ent
	start := make([]uint32, 1<<hi+1)
	for p := range n {
		start[(entryAt(ent, p, eb)&dMask)>>lo+1]++
	}
	for v := 1; v < len(start); v++ {
		start[v] += start[v-1]
	}
	cur := make([]uint32, 1<<hi)
	copy(cur, start)
	// tmp holds (low prefix digit << 48 | entry) grouped by high digit.
	for p := range n {
		k := entryAt(ent, p, eb) & keyMask
		v := k & dMask
		e := uint64(p) | (k>>d)<<lay.posBits
		tmp[cur[v>>lo]] = (v&loMask)<<48 | e
		cur[v>>lo]++
	}
	cnt := make([]uint32, 1<<lo+1)
	for h := range 1 << hi {
		run := tmp[start[h]:start[h+1]]
		clear(cnt)
		for _, r := range run {
			cnt[r>>48+1]++
		}
		base := start[h]
		for l := range 1 << lo {
			off[h<<lo+l] = base + cnt[l]
			cnt[l+1] += cnt[l]
		}
		for _, r := range run {
			l := r >> 48
			putEntry(ent, int(base+cnt[l]), eb, r&(1<<48-1))
			cnt[l]++
		}
	}
	off[1<<d] = uint32(n)
	tab.dir = newDirectory(off)
}
