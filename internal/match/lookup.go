package match

import (
	"cmp"
	"slices"

	"github.com/havenproject/haven/hamming"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
)

// Query is a hash to look up.
type Query struct {
	Signal signal.Signal
	// Dihedral, for a PDQ query, holds the hashes of the query image under
	// the eight rotations and flips; each entry's best distance over them
	// is kept. Nil means the query's own hash only.
	Dihedral *pdq.Dihedral
	// Allowed, if set, says which banks the asker may match against
	// (sharing terms); nil allows all.
	Allowed func(*Bank) bool
}

// Hit is a match of a query against one bank entry.
type Hit struct {
	BankID   int64
	BankName string
	Negative bool // the bank lists known-benign material
	EntryID  int64
	// Distance is 0 for exact kinds.
	Distance int
	// Transform is the dihedral variant of the query that matched best.
	Transform pdq.Transform
	// Suppressed marks a positive hit whose query also matched a negative
	// bank: the material is known-benign by someone's opinion, and the
	// caller decides what that means (shown, never silently dropped).
	Suppressed bool
}

// Lookup returns the query's hits, nearest first (then by bank and entry
// id). Every positive hit is marked Suppressed when any negative bank
// matched too.
func (x *Index) Lookup(q Query) []Hit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var hits []Hit
	switch {
	case q.Signal.Kind == signal.PDQ:
		hits = x.lookupPDQ(q)
	case q.Signal.Kind.Exact():
		for _, r := range x.exact[q.Signal.Kind][q.Signal.Value] {
			if b := x.banks[r.bankID]; b != nil && (q.Allowed == nil || q.Allowed(b)) {
				hits = append(hits, Hit{BankID: b.ID, BankName: b.Name, Negative: b.Kind == bank.Negative, EntryID: r.entryID})
			}
		}
	}
	return Suppress(hits)
}

// Suppress marks the positive hits of one query as suppressed when any hit
// is in a negative bank, and sorts them nearest first (then by bank and
// entry id). Lookups do it themselves; it is exported for callers that
// gather hits elsewhere (exact lookups in the store).
func Suppress(hits []Hit) []Hit {
	suppressed := slices.ContainsFunc(hits, func(h Hit) bool { return h.Negative })
	for i := range hits {
		hits[i].Suppressed = suppressed && !hits[i].Negative
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Distance != b.Distance {
			return a.Distance - b.Distance
		}
		if a.BankID != b.BankID {
			return cmp.Compare(a.BankID, b.BankID)
		}
		return cmp.Compare(a.EntryID, b.EntryID)
	})
	return hits
}

func (x *Index) lookupPDQ(q Query) []Hit {
	queries := []pdq.Hash{}
	if q.Dihedral != nil {
		queries = q.Dihedral[:]
	} else if h, err := q.Signal.PDQHash(); err == nil {
		queries = append(queries, h)
	}
	// One search at the widest threshold of the banks the asker may use;
	// each bank's own threshold filters after.
	radius := 0
	for _, b := range x.banks {
		if q.Allowed == nil || q.Allowed(b) {
			radius = max(radius, b.PDQThreshold)
		}
	}
	if radius == 0 {
		return nil
	}
	best := map[uint64]Hit{}
	var found []hamming.Match
	for t, h := range queries {
		found = x.pdq.Search(h, radius, found[:0])
		for _, m := range found {
			bankID, entryID := unpackID(m.ID)
			b := x.banks[bankID]
			if b == nil || m.Distance > b.PDQThreshold || (q.Allowed != nil && !q.Allowed(b)) {
				continue
			}
			if old, ok := best[m.ID]; ok && old.Distance <= m.Distance {
				continue
			}
			best[m.ID] = Hit{BankID: bankID, BankName: b.Name, Negative: b.Kind == bank.Negative,
				EntryID: entryID, Distance: m.Distance, Transform: pdq.Transform(t)}
		}
	}
	hits := make([]Hit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	return hits
}
