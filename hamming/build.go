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
	// It also counts the keys' high digits for pass 2.
	d, e, eb := s.lay.dirBits, s.lay.extraBits, int(s.lay.entryBytes)
	_, hi := digits(d)
	hists := make([][]uint32, workers)
	parallel(workers, n, func(j, lo, end int) {
		hist := make([]uint32, m<<hi)
		for p := lo; p < end; p++ {
			h := &hs[p]
			for i := range s.tabs {
				k := bitsAt64(h, s.lay.boxes[i].start, d+e)
				putEntry(s.tabs[i].ent, p, eb, k)
				hist[i<<hi+int(k&(1<<d-1)>>(d-hi))]++
			}
		}
		hists[j] = hist
	})
	// Pass 2, per table: sort positions by prefix, replacing keys by entries.
	var next atomic.Int32
	together(min(workers, m), func() {
		tmp := makeHuge[uint64](n)
		start := make([]uint32, 1<<hi+1)
		for i := int(next.Add(1)) - 1; i < m; i = int(next.Add(1)) - 1 {
			clear(start)
			for _, hist := range hists {
				if hist == nil {
					continue
				}
				for v, c := range hist[i<<hi : (i+1)<<hi] {
					start[v+1] += c
				}
			}
			sortTable(s.lay, n, &s.tabs[i], tmp, start)
		}
	})
	return s
}

// digits splits a d-bit prefix into the two radix digits of sortTable.
func digits(d uint) (lo, hi uint) { return d / 2, d - d/2 }

// fixedBytes is the memory per hash outside the tables: the hash, the id
// and a tombstone bit.
func fixedBytes(idBytes int) float64 { return 32 + float64(idBytes) + 1.0/8 }

// allocTables allocates the entries of s.lay's tables in one slab (fewer,
// larger arrays get more of their memory in huge pages); directories are
// set when built.
func (s *segment) allocTables() {
	n, m, eb := s.n, len(s.lay.boxes), int(s.lay.entryBytes)
	stride := n*eb + 8 // each table's own 8 bytes of padding: tables are built concurrently
	ents := makeHuge[byte](m * stride)
	s.tabs = make([]table, m)
	for i := range s.tabs {
		s.tabs[i].ent = ents[i*stride : (i+1)*stride : (i+1)*stride]
	}
}

// putEntry writes v as entry k of b bytes, touching no other entry.
func putEntry(ent []byte, k, b int, v uint64) {
	binary.LittleEndian.PutUint32(ent[k*b:], uint32(v))
	if b == 5 {
		ent[k*b+4] = byte(v >> 32)
	}
}

// together runs f in k goroutines and waits for them.
func together(k int, f func()) {
	var wg sync.WaitGroup
	for range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	wg.Wait()
}

// parallel runs f over [0, n) split into k contiguous ranges, the j-th
// range in a goroutine of its own (all in one for small n).
func parallel(k, n int, f func(j, lo, hi int)) {
	if k <= 1 || n < 1<<16 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for j := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(j, j*n/k, (j+1)*n/k)
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
//
// start[v+1] holds the number of keys of high digit v (start[0] is 0).
func sortTable(lay *layout, n int, tab *table, tmp []uint64, start []uint32) {
	d, eb := lay.dirBits, int(lay.entryBytes)
	lo, hi := digits(d)
	dMask, loMask := uint64(1)<<d-1, uint64(1)<<lo-1
	keyMask := uint64(1)<<(8*eb) - 1
	off, ent := make([]uint32, 1<<d+1), tab.ent
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
