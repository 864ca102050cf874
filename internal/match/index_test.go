package match

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
)

func pdqSignal(h pdq.Hash) signal.Signal { return signal.Signal{Kind: signal.PDQ, Value: h.String()} }

func flip(h pdq.Hash, bits ...int) pdq.Hash {
	for _, b := range bits {
		h[b/8] ^= 1 << (b % 8)
	}
	return h
}

func randomHash(r *rand.Rand) pdq.Hash {
	var h pdq.Hash
	for i := range h {
		h[i] = byte(r.Uint32())
	}
	return h
}

func TestLookup(t *testing.T) {
	x := New()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(x.SetBank(Bank{ID: 1, Name: "hotline", Kind: bank.Positive, SharedWith: []string{"hotline", "police"}}))
	must(x.SetBank(Bank{ID: 2, Name: "strict", Kind: bank.Positive, PDQThreshold: 10, SharedWith: []string{"police"}}))
	must(x.SetBank(Bank{ID: 3, Name: "stock-photos", Kind: bank.Negative}))

	r := rand.New(rand.NewPCG(1, 2))
	a, b := randomHash(r), randomHash(r)
	md5 := signal.Signal{Kind: signal.MD5, Value: "d41d8cd98f00b204e9800998ecf8427e"}
	must(x.AddBatch([]Entry{
		{ID: 10, BankID: 1, Signal: pdqSignal(a)},
		{ID: 11, BankID: 2, Signal: pdqSignal(flip(a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))}, // 12 bits from a
		{ID: 12, BankID: 1, Signal: md5},
		{ID: 13, BankID: 2, Signal: md5},
		{ID: 14, BankID: 3, Signal: pdqSignal(b)},
		{ID: 15, BankID: 1, Signal: pdqSignal(flip(b, 100, 101))},
	}))

	ids := func(hits []Hit) []int64 {
		var out []int64
		for _, h := range hits {
			out = append(out, h.EntryID)
		}
		return out
	}
	// The strict bank's entry is 12 bits away: beyond its threshold of 10.
	if got := ids(x.Lookup(Query{Signal: pdqSignal(a)})); !slices.Equal(got, []int64{10}) {
		t.Errorf("pdq lookup: %v", got)
	}
	if got := ids(x.Lookup(Query{Signal: pdqSignal(flip(a, 1, 2, 3))})); !slices.Equal(got, []int64{10, 11}) {
		t.Errorf("pdq lookup near both: %v", got)
	}
	// Exact: the same MD5 in two banks is two hits.
	if got := ids(x.Lookup(Query{Signal: md5})); !slices.Equal(got, []int64{12, 13}) {
		t.Errorf("md5 lookup: %v", got)
	}
	// Sharing terms.
	hotlineOnly := func(b *Bank) bool { return slices.Contains(b.SharedWith, "hotline") }
	if got := ids(x.Lookup(Query{Signal: md5, Allowed: hotlineOnly})); !slices.Equal(got, []int64{12}) {
		t.Errorf("md5 lookup as hotline: %v", got)
	}
	// A negative bank suppresses positives, and says so.
	hits := x.Lookup(Query{Signal: pdqSignal(b)})
	if len(hits) != 2 || !hits[0].Negative || hits[0].Suppressed || !hits[1].Suppressed || hits[1].Distance != 2 {
		t.Errorf("negative bank: %+v", hits)
	}
	// Removal.
	x.Remove(Entry{ID: 14, BankID: 3, Signal: pdqSignal(b)})
	x.Remove(Entry{ID: 12, BankID: 1, Signal: md5})
	x.Remove(Entry{ID: 99, BankID: 1, Signal: md5}) // absent: no-op
	if hits := x.Lookup(Query{Signal: pdqSignal(b)}); len(hits) != 1 || hits[0].Suppressed {
		t.Errorf("after removing the negative entry: %+v", hits)
	}
	if got := ids(x.Lookup(Query{Signal: md5})); !slices.Equal(got, []int64{13}) {
		t.Errorf("md5 after removal: %v", got)
	}
	if s := x.Stats(); s.PDQ != 3 || s.Exact[signal.MD5] != 1 || s.Banks != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestLookupDihedral(t *testing.T) {
	x := New()
	if err := x.SetBank(Bank{ID: 1, Name: "b"}); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	var d pdq.Dihedral
	for i := range d {
		d[i] = randomHash(r)
	}
	// The bank holds the rotated picture's hash; the query's Rotate90
	// variant finds it.
	if err := x.Add(Entry{ID: 1, BankID: 1, Signal: pdqSignal(flip(d[pdq.Rotate90], 7))}); err != nil {
		t.Fatal(err)
	}
	if hits := x.Lookup(Query{Signal: pdqSignal(d[pdq.Original])}); len(hits) != 0 {
		t.Fatalf("without dihedral: %+v", hits)
	}
	hits := x.Lookup(Query{Signal: pdqSignal(d[pdq.Original]), Dihedral: &d})
	if len(hits) != 1 || hits[0].Transform != pdq.Rotate90 || hits[0].Distance != 1 {
		t.Fatalf("with dihedral: %+v", hits)
	}
}

// TestLookupAgainstBruteForce checks PDQ lookups against a linear scan with
// random banks, thresholds and near-copies.
func TestLookupAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x := New()
	type stored struct {
		bankID int64
		id     int64
		h      pdq.Hash
	}
	thresholds := map[int64]int{1: 31, 2: 16, 3: 45}
	for id, th := range thresholds {
		if err := x.SetBank(Bank{ID: id, Name: "b", PDQThreshold: th}); err != nil {
			t.Fatal(err)
		}
	}
	var all []stored
	var centres []pdq.Hash
	for i := range 2000 {
		var h pdq.Hash
		if i%3 == 0 || len(centres) == 0 {
			h = randomHash(r)
			centres = append(centres, h)
		} else {
			h = centres[r.IntN(len(centres))]
			for range r.IntN(40) {
				h = flip(h, r.IntN(256))
			}
		}
		s := stored{bankID: int64(1 + r.IntN(3)), id: int64(i + 1), h: h}
		all = append(all, s)
		if err := x.Add(Entry{ID: s.id, BankID: s.bankID, Signal: pdqSignal(h)}); err != nil {
			t.Fatal(err)
		}
	}
	for range 200 {
		q := centres[r.IntN(len(centres))]
		for range r.IntN(30) {
			q = flip(q, r.IntN(256))
		}
		var want []int64
		for _, s := range all {
			if pdq.Distance(q, s.h) <= thresholds[s.bankID] {
				want = append(want, s.id)
			}
		}
		var got []int64
		for _, h := range x.Lookup(Query{Signal: pdqSignal(q)}) {
			got = append(got, h.EntryID)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("index %v, brute force %v", got, want)
		}
	}
}
