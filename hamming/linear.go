package hamming

// Linear is the brute-force reference with the contract of Index: one hash
// per id, exact search by comparing the query with every hash. Tests use it
// as the oracle and benchmarks as the yardstick. Unlike Index it is not
// safe for concurrent use with Add or Remove.
type Linear struct {
	ids []uint64
	hs  []words
	pos map[uint64]int
}

// NewLinear returns an empty brute-force index.
func NewLinear() *Linear { return &Linear{pos: make(map[uint64]int)} }

// Len returns the number of entries.
func (l *Linear) Len() int { return len(l.ids) }

// Add sets the hash of id, replacing any previous one.
func (l *Linear) Add(id uint64, h Hash) {
	if p, ok := l.pos[id]; ok {
		l.hs[p] = toWords(&h)
		return
	}
	l.pos[id] = len(l.ids)
	l.ids = append(l.ids, id)
	l.hs = append(l.hs, toWords(&h))
}

// Remove deletes id and reports whether it was present.
func (l *Linear) Remove(id uint64) bool {
	p, ok := l.pos[id]
	if !ok {
		return false
	}
	last := len(l.ids) - 1
	l.ids[p], l.hs[p] = l.ids[last], l.hs[last]
	l.pos[l.ids[p]] = p
	l.ids, l.hs = l.ids[:last], l.hs[:last]
	delete(l.pos, id)
	return true
}

// Search appends the entries within distance radius of q to dst, sorted by
// distance then id.
func (l *Linear) Search(q Hash, radius int, dst []Match) []Match {
	if radius < 0 {
		return dst
	}
	qw := toWords(&q)
	start := len(dst)
	for i := range l.hs {
		if d := dist(&l.hs[i], &qw); d <= radius {
			dst = append(dst, Match{ID: l.ids[i], Distance: d})
		}
	}
	return sortMatches(dst, start)
}

// LinearFrom returns a brute-force index of entries (a later entry for the
// same id wins).
func LinearFrom(entries []Entry) *Linear {
	l := &Linear{
		ids: make([]uint64, 0, len(entries)),
		hs:  make([]words, 0, len(entries)),
		pos: make(map[uint64]int, len(entries)),
	}
	for i := range entries {
		l.Add(entries[i].ID, entries[i].Hash)
	}
	return l
}
