package hamming

import (
	"fmt"
	"strings"
)

// QueryStats counts the work of one search, for tuning and diagnosis.
type QueryStats struct {
	Segments   int // segments searched (plus the unindexed tail)
	Scanned    int // hashes compared by linear scans
	Probes     int // directory buckets looked up
	Entries    int // table entries tested against the filter
	Candidates int // hashes fetched and compared after the filter
	Matches    int // results, duplicates removed
}

// Explain runs a search of q at radius and counts its work.
func (x *Index) Explain(q Hash, radius int) QueryStats {
	var st QueryStats
	if radius < 0 {
		return st
	}
	radius = min(radius, 256)
	qw := toWords(&q)
	x.mu.RLock()
	defer x.mu.RUnlock()
	st.Segments = len(x.segs)
	for _, s := range x.segs {
		p := s.plan(radius)
		if p.linear {
			st.Scanned += s.n
			continue
		}
		for i, t := range p.t {
			if t >= 0 {
				s.explainProbe(i, &p.filt[i], &qw, &st)
			}
		}
	}
	st.Scanned += len(x.tail)
	st.Matches = len(x.searchLocked(&qw, radius, nil))
	return st
}

func (s *segment) explainProbe(i int, f *boxFilter, q *words, st *QueryStats) {
	lay := s.lay
	b := &lay.boxes[i]
	tab := &s.tabs[i]
	qp := bitsAt(q, b.start, lay.dirBits)
	qe := bitsAt(q, b.start+lay.dirBits, lay.extraBits)
	for _, mk := range masksUpTo(lay.dirBits, f.t) {
		v := qp ^ mk&(1<<weightShift-1)
		w := int(mk >> weightShift)
		st.Probes++
		lo, hi := tab.dir.bounds(v)
		for k := lo; k < hi; k++ {
			st.Entries++
			if f.pass(uint32(entryAt(tab.ent, int(k), int(lay.entryBytes))>>lay.posBits)^qe, w) {
				st.Candidates++
			}
		}
	}
}

// Describe summarises the index's segments and their table layouts.
func (x *Index) Describe() string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d entries in %d segments and a tail of %d", x.n, len(x.segs), len(x.tail))
	for _, s := range x.segs {
		fmt.Fprintf(&sb, "\n  %d hashes (%d removed), %d-byte ids: %v", s.n, s.ndead, s.ids.bytes(), s.lay)
	}
	return sb.String()
}
