package match

import (
	"math/rand/v2"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
	"github.com/havenproject/haven/vpdq"
)

// TestLoadVideos checks that Load indexes the store's active vPDQ entries
// with the bank's vpdq threshold.
func TestLoadVideos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		svc := bank.NewService(db)
		_, err := svc.Create(ctx, bank.Bank{Name: "v", SourceOrg: "hotline", Thresholds: map[signal.Kind]int{signal.VPDQ: 20}})
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(5, 6))
		a, b := genVideo(r, 10), genVideo(r, 10)
		for i := range a { // every frame its own scene, so that a clip is part of a
			a[i].Hash, a[i].Quality = randomHash(r), 100
		}
		src := sliceSource{
			{Signal: signal.Signal{Kind: signal.VPDQ, Value: vpdq.FormatHMA(a)}},
			{Signal: videoSignal(b)},
		}
		if _, err := svc.Import(ctx, "v", &src, bank.ImportOptions{AddedBy: "test"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Withdraw(ctx, "v", bank.Withdrawal{Signals: []signal.Signal{videoSignal(b)}, By: "t", Reason: "test"}); err != nil {
			t.Fatal(err)
		}
		x, _, err := Load(ctx, svc)
		if err != nil {
			t.Fatal(err)
		}
		if st := x.Stats(); st.VPDQ != 1 {
			t.Fatalf("stats %+v", st)
		}
		if bs := x.Banks(); bs[0].VPDQThreshold != 20 {
			t.Errorf("bank %+v", bs[0])
		}
		if hits := x.Lookup(VideoQuery(b)); len(hits) != 0 {
			t.Errorf("withdrawn video matched: %s", describeHits(hits))
		}
		hits := x.Lookup(VideoQuery(a[2:6]))
		if len(hits) != 1 || hits[0].Video.QueryPercent != 100 || hits[0].Video.ComparedPercent == 100 {
			t.Errorf("clip of a: %s", describeHits(hits))
		}
	})
}
