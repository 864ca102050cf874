package match

import (
	"cmp"
	"context"
	"slices"

	"github.com/havenproject/haven/hamming"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
	"github.com/havenproject/haven/vpdq"
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
	// Frames, for a vPDQ query, are the query video's frame hashes (from
	// vpdq.HashFile); nil means parse Signal.Value (any form
	// vpdq.ParseSignal reads).
	Frames []vpdq.Frame
	// MinQueryPercent and MinComparedPercent (vPDQ) report only the bank
	// videos of which the query's matched frames (Pq) and the bank
	// video's matched frames (Pc) reach these percentages; 0 and 0 report
	// every video with at least one matching frame. HMA asks Pq ≥ 80;
	// finding known videos inside longer uploads asks Pc ≥ 80.
	MinQueryPercent, MinComparedPercent float64
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
	// Video, for a vPDQ hit, says how much of each video matched and
	// where: percentages, counts and segments (start and end times).
	// Distance is 0 for video hits.
	Video *vpdq.Comparison
	// Suppressed marks a positive hit whose query also matched a negative
	// bank: the material is known-benign by someone's opinion, and the
	// caller decides what that means (shown, never silently dropped).
	Suppressed bool
}

// Lookup returns the query's hits, nearest first (then by bank and entry
// id); video hits best matched first. Every positive hit is marked
// Suppressed when any negative bank matched too. A vPDQ query whose value
// does not parse has no hits; LookupContext reports why.
func (x *Index) Lookup(q Query) []Hit {
	hits, _ := x.LookupContext(context.Background(), q)
	return hits
}

// LookupContext is Lookup for queries that can fail or take long: a vPDQ
// query's value may not parse (an error wrapping vpdq.ErrSyntax), and a
// long video's search stops with ctx's error when ctx ends.
func (x *Index) LookupContext(ctx context.Context, q Query) ([]Hit, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var hits []Hit
	switch {
	case q.Signal.Kind == signal.VPDQ:
		var err error
		if hits, err = x.lookupVideo(ctx, q); err != nil {
			return nil, err
		}
	case q.Signal.Kind == signal.PDQ:
		hits = x.lookupPDQ(q)
	case q.Signal.Kind.Exact():
		for _, r := range x.exact[q.Signal.Kind][q.Signal.Value] {
			if b := x.banks[r.bankID]; b != nil && (q.Allowed == nil || q.Allowed(b)) {
				hits = append(hits, Hit{BankID: b.ID, BankName: b.Name, Negative: b.Kind == bank.Negative, EntryID: r.entryID})
			}
		}
	}
	return Suppress(hits), nil
}

// Suppress marks the positive hits of one query as suppressed when any hit
// is in a negative bank, and sorts them nearest first, video hits by
// compared then query percentage (descending), then by bank and entry id. Lookups do it themselves; it is exported for callers that
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
		if a.Video != nil && b.Video != nil {
			if c := cmp.Compare(b.Video.ComparedPercent, a.Video.ComparedPercent); c != 0 {
				return c
			}
			if c := cmp.Compare(b.Video.QueryPercent, a.Video.QueryPercent); c != 0 {
				return c
			}
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
