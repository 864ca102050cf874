package hamming

import (
	"cmp"
	"slices"
	"sync"
)

// Options tune an Index. The zero value of a field means its default.
type Options struct {
	// TuneRadius is the query radius the table layout is optimised for
	// (default 31, PDQ's usual match threshold). Searches of every radius
	// are exact whatever it is; it only steers their speed.
	TuneRadius int
	// MaxBytesPerHash caps the memory per hash of a segment, everything
	// included: 32 bytes of hash, 4 bytes of id (8 if an id of the segment
	// needs more than 32 bits), a tombstone bit and the tables (default 94).
	MaxBytesPerHash float64
}

func (o Options) withDefaults() Options {
	if o.TuneRadius <= 0 || o.TuneRadius > 255 {
		o.TuneRadius = 31
	}
	if o.MaxBytesPerHash <= 0 {
		o.MaxBytesPerHash = 94
	}
	return o
}

// tailMax is the number of recent additions kept unindexed and scanned
// linearly before they become a segment.
const tailMax = 1024

// Index is a set of (id, hash) entries, one hash per id, answering exact
// Hamming range queries.
//
// Concurrency: all methods are safe for concurrent use. Search, Len,
// Explain and Describe run concurrently with each other and with writers;
// Add, Remove and AddBatch are serialised among themselves. A Search sees
// each Add, Remove or AddBatch either entirely or not at all. Rebuilding
// segments (amortised O(log n) work per added hash; an AddBatch builds its
// own) runs in the writer's call without blocking searches, which wait
// only while a finished segment is swapped in. WriteTo waits for a running
// writer to finish, copies what it needs, then writes without locks.
//
// Errors: Add, Remove and Search cannot fail; Remove reports whether the
// id was present and removing an absent id is a no-op. Re-adding an id
// replaces its hash (Add is idempotent for the same pair).
type Index struct {
	opts Options
	wmu  sync.Mutex   // serialises writers
	mu   sync.RWMutex // guards segs, tail and tombstones
	segs []*segment   // largest first
	tail []uint64     // ids of recent additions, unindexed
	th   []words      // their hashes
	n    int          // live entries
}

// New returns an empty index with default options.
func New() *Index { return NewWithOptions(Options{}) }

// NewWithOptions returns an empty index.
func NewWithOptions(o Options) *Index { return &Index{opts: o.withDefaults()} }

// Len returns the number of entries.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.n
}

// Add sets the hash of id, replacing any previous one.
func (x *Index) Add(id uint64, h Hash) {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	x.mu.Lock()
	x.removeLocked(id)
	x.tail = append(x.tail, id)
	x.th = append(x.th, toWords(&h))
	x.n++
	full := len(x.tail) >= tailMax
	x.mu.Unlock()
	if full {
		x.flush()
	}
}

// Remove deletes id and reports whether it was present.
func (x *Index) Remove(id uint64) bool {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	x.mu.Lock()
	ok := x.removeLocked(id)
	x.mu.Unlock()
	x.compactSparse()
	return ok
}

// removeLocked tombstones the live entry of id, if any.
func (x *Index) removeLocked(id uint64) bool {
	if i := slices.Index(x.tail, id); i >= 0 {
		last := len(x.tail) - 1
		x.tail[i], x.th[i] = x.tail[last], x.th[last]
		x.tail, x.th = x.tail[:last], x.th[:last]
		x.n--
		return true
	}
	for _, s := range x.segs {
		if p := s.find(id); p >= 0 && !s.isDead(uint32(p)) {
			s.kill(p)
			x.n--
			return true
		}
	}
	return false
}

// AddBatch adds entries as one Add each would (a later entry for the same
// id wins), but builds their tables in one go: the way to load a bank.
func (x *Index) AddBatch(entries []Entry) {
	ids, hs := sortEntries(entries)
	if len(ids) == 0 {
		return
	}
	x.wmu.Lock()
	defer x.wmu.Unlock()
	x.flush() // the tail joins the segments first, so the batch wins over it
	for len(ids) > 0 {
		k := min(len(ids), maxSegment)
		x.addSorted(ids[:k:k], hs[:k:k])
		ids, hs = ids[k:], hs[k:]
	}
	x.mergeSmall()
	x.compactSparse()
}

// addSorted adds a segment of ids (ascending, unique) and their hashes.
// Callers hold wmu.
func (x *Index) addSorted(ids []uint64, hs []words) {
	seg := newSegment(ids, hs, &x.opts)
	// Older versions of these ids are found before taking the lock, so that
	// searches wait only for the tombstones to be set.
	type hit struct{ s, p int }
	var old []hit
	for si, s := range x.segs {
		for _, p := range s.findAll(ids) {
			old = append(old, hit{si, p})
		}
	}
	x.mu.Lock()
	for _, h := range old {
		x.segs[h.s].kill(h.p)
	}
	x.segs = append(x.segs, seg)
	x.n += len(ids) - len(old)
	x.mu.Unlock()
}

// Search appends to dst the entries within Hamming distance radius of q,
// sorted by distance then id, and returns the extended slice. A negative
// radius matches nothing; a radius of 256 or more matches everything.
func (x *Index) Search(q Hash, radius int, dst []Match) []Match {
	if radius < 0 {
		return dst
	}
	qw := toWords(&q)
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.searchLocked(&qw, min(radius, 256), dst)
}

func (x *Index) searchLocked(q *words, radius int, dst []Match) []Match {
	start := len(dst)
	sc := scratchPool.Get().(*scratch)
	for _, s := range x.segs {
		dst = s.search(q, radius, sc, dst)
	}
	scratchPool.Put(sc)
	for i := range x.th {
		if d := dist(&x.th[i], q); d <= radius {
			dst = append(dst, Match{ID: x.tail[i], Distance: d})
		}
	}
	return sortMatches(dst, start)
}

// sortMatches sorts dst[start:] by distance then id and drops duplicates
// (an entry found through several boxes).
func sortMatches(dst []Match, start int) []Match {
	res := dst[start:]
	slices.SortFunc(res, func(a, b Match) int {
		if c := cmp.Compare(a.Distance, b.Distance); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return append(dst[:start], slices.Compact(res)...)
}
