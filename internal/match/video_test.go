package match

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
	"github.com/havenproject/haven/vpdq"
)

// genVideo makes n frames of scenes: a random hash drifting a few bits
// per frame, a new scene now and then, some frames of low quality.
func genVideo(r *rand.Rand, n int) []vpdq.Frame {
	out := make([]vpdq.Frame, n)
	var scene pdq.Hash
	for i := range out {
		if i == 0 || r.IntN(8) == 0 {
			scene = randomHash(r)
		} else {
			scene = flip(scene, r.IntN(256), r.IntN(256))
		}
		q := 60 + r.IntN(41)
		if r.IntN(10) == 0 {
			q = r.IntN(50)
		}
		out[i] = vpdq.Frame{Number: i * 30, Hash: scene, Quality: q, Timestamp: float64(i)}
	}
	return out
}

// copyOf derives a query from v: a stretch of it, every hash moved by up
// to maxFlip bits, a few foreign frames appended.
func copyOf(r *rand.Rand, v []vpdq.Frame, maxFlip int) []vpdq.Frame {
	lo := r.IntN(len(v))
	hi := lo + 1 + r.IntN(len(v)-lo)
	var out []vpdq.Frame
	for _, f := range v[lo:hi] {
		for range r.IntN(maxFlip + 1) {
			f.Hash = flip(f.Hash, r.IntN(256))
		}
		out = append(out, f)
	}
	for range r.IntN(3) {
		out = append(out, vpdq.Frame{Hash: randomHash(r), Quality: 100})
	}
	for i := range out {
		out[i].Number, out[i].Timestamp = i*25, float64(i)
	}
	return out
}

func videoSignal(frames []vpdq.Frame) signal.Signal {
	return signal.Signal{Kind: signal.VPDQ, Value: vpdq.FormatSignal(frames)}
}

// TestVideoLookupEqualsExhaustive checks the indexed vPDQ lookup against
// comparing the query with every active video of every allowed bank, with
// each bank's threshold, the query's percentages, negative-bank
// suppression, after removals and replacements.
func TestVideoLookupEqualsExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := New()
	banks := []Bank{
		{ID: 1, Name: "default", Kind: bank.Positive},
		{ID: 2, Name: "strict", Kind: bank.Positive, VPDQThreshold: 16},
		{ID: 3, Name: "loose", Kind: bank.Positive, VPDQThreshold: 45, SharedWith: []string{"police"}},
		{ID: 4, Name: "benign", Kind: bank.Negative, VPDQThreshold: 20},
	}
	for _, b := range banks {
		if err := x.SetBank(b); err != nil {
			t.Fatal(err)
		}
	}
	active := map[[2]int64][]vpdq.Frame{}
	var batch []Entry
	var sources [][]vpdq.Frame
	for id := int64(1); id <= 300; id++ {
		v := genVideo(r, 3+r.IntN(40))
		if id > 200 { // near-copies of earlier videos in other banks
			v = copyOf(r, sources[r.IntN(len(sources))], 12)
		}
		sources = append(sources, v)
		b := int64(1 + r.IntN(4))
		batch = append(batch, Entry{ID: id, BankID: b, Signal: videoSignal(v)})
		active[[2]int64{b, id}] = v
	}
	if err := x.AddBatch(batch); err != nil {
		t.Fatal(err)
	}
	// Withdraw some, replace others one by one as the follower does.
	for _, e := range batch[:40] {
		x.Remove(e)
		delete(active, [2]int64{e.BankID, e.ID})
	}
	for _, e := range batch[40:60] {
		v := genVideo(r, 5)
		e.Signal = videoSignal(v)
		if err := x.Add(e); err != nil {
			t.Fatal(err)
		}
		active[[2]int64{e.BankID, e.ID}] = v
	}
	if st := x.Stats(); st.VPDQ != len(active) {
		t.Fatalf("Stats().VPDQ = %d, want %d", st.VPDQ, len(active))
	}
	byID := map[int64]Bank{}
	for _, b := range x.Banks() {
		byID[b.ID] = b
	}
	policeOnly := func(b *Bank) bool { return b.ID != 3 || len(b.SharedWith) > 0 }
	noLoose := func(b *Bank) bool { return b.ID != 3 }
	matched, suppressed := 0, 0
	for qi := range 60 {
		query := copyOf(r, sources[r.IntN(len(sources))], 20)
		if qi%10 == 9 {
			query = genVideo(r, 20) // unrelated
		}
		q := VideoQuery(query)
		switch qi % 3 {
		case 1:
			q.Allowed, q.MinQueryPercent = noLoose, 30
		case 2:
			q.Allowed, q.MinComparedPercent = policeOnly, 50
		}
		got, err := x.LookupContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		var want []Hit
		for key, v := range active {
			b := byID[key[0]]
			if q.Allowed != nil && !q.Allowed(&b) {
				continue
			}
			opt := VideoOptions
			opt.Distance = b.VPDQThreshold
			c, err := vpdq.Compare(query, v, opt)
			if err != nil {
				t.Fatal(err)
			}
			if c.QueryMatched == 0 || c.QueryPercent < q.MinQueryPercent || c.ComparedPercent < q.MinComparedPercent {
				continue
			}
			want = append(want, Hit{BankID: b.ID, BankName: b.Name, Negative: b.Kind == bank.Negative, EntryID: key[1], Video: &c})
		}
		want = Suppress(want)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("query %d:\n got %s\nwant %s", qi, describeHits(got), describeHits(want))
		}
		matched += len(got)
		for _, h := range got {
			if h.Suppressed {
				suppressed++
			}
		}
	}
	if matched < 30 || suppressed == 0 {
		t.Errorf("%d hits, %d suppressed over 60 queries: the test proves little", matched, suppressed)
	}
	t.Logf("%d video hits over 60 queries, %d suppressed", matched, suppressed)
}

func describeHits(hs []Hit) string {
	s := ""
	for _, h := range hs {
		s += fmt.Sprintf("[%d/%d %.1f%% %.1f%% s=%v] ", h.BankID, h.EntryID, h.Video.QueryPercent, h.Video.ComparedPercent, h.Suppressed)
	}
	return s
}

func TestVideoLookupErrors(t *testing.T) {
	x := New()
	if err := x.SetBank(Bank{ID: 1, Name: "b", Kind: bank.Positive}); err != nil {
		t.Fatal(err)
	}
	bad := signal.Signal{Kind: signal.VPDQ, Value: "not a video hash"}
	if err := x.Add(Entry{ID: 1, BankID: 1, Signal: bad}); !errors.Is(err, vpdq.ErrSyntax) {
		t.Errorf("Add: %v", err)
	}
	if err := x.AddBatch([]Entry{{ID: 1, BankID: 1, Signal: bad}}); !errors.Is(err, vpdq.ErrSyntax) {
		t.Errorf("AddBatch: %v", err)
	}
	if _, err := x.LookupContext(context.Background(), Query{Signal: bad}); !errors.Is(err, vpdq.ErrSyntax) {
		t.Errorf("LookupContext: %v", err)
	}
	if hits := x.Lookup(Query{Signal: bad}); hits != nil {
		t.Errorf("Lookup: %v", hits)
	}
	if err := x.SetBank(Bank{ID: 2, Name: "c", VPDQThreshold: MaxVPDQThreshold + 1}); err == nil {
		t.Error("SetBank accepted a vpdq threshold over the maximum")
	}
	// The HMA form is a query too.
	v := genVideo(rand.New(rand.NewPCG(1, 1)), 4)
	if err := x.Add(Entry{ID: 2, BankID: 1, Signal: videoSignal(v)}); err != nil {
		t.Fatal(err)
	}
	hits := x.Lookup(Query{Signal: signal.Signal{Kind: signal.VPDQ, Value: vpdq.FormatHMA(v)}})
	if len(hits) != 1 || hits[0].EntryID != 2 || hits[0].Video.QueryPercent != 100 {
		t.Errorf("HMA-form query: %s", describeHits(hits))
	}
}
