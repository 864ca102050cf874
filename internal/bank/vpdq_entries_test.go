package bank_test

import (
	"errors"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
	"github.com/havenproject/haven/vpdq"
)

// TestVPDQEntries checks that a video's hash has one key whatever form it
// came in, that a bad vPDQ value is a rejected record, and that
// VPDQEntries gives the active entries' frames.
func TestVPDQEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := newService(t, db, "b")
		text := "0,100," + hexOf(1, 64) + ",0.000\n1,90," + hexOf(2, 64) + ",1.000"
		hma := `["` + hexOf(1, 64) + `,100,0.0", "` + hexOf(2, 64) + `,90,1.0"]`
		other := "0,80," + hexOf(3, 64) + ",0.000"
		src := &sliceSource{entries: []bank.Entry{
			{Signal: signal.Signal{Kind: signal.VPDQ, Value: text}},
			{Signal: signal.Signal{Kind: signal.VPDQ, Value: hma}},
			{Signal: signal.Signal{Kind: signal.VPDQ, Value: "[1]"}},
			{Signal: signal.Signal{Kind: signal.VPDQ, Value: other}},
			{Signal: sig(signal.MD5, 1)},
		}}
		res, err := s.Import(ctx, "b", src, bank.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 3 || res.Duplicates != 1 || res.Rejected != 1 {
			t.Fatalf("result %+v", res)
		}
		if err := res.Rejections[0].Err; !errors.Is(err, signal.ErrValue) || !errors.Is(err, vpdq.ErrSyntax) {
			t.Errorf("rejection: %v", err)
		}
		if _, err := s.Withdraw(ctx, "b", bank.Withdrawal{Signals: []signal.Signal{{Kind: signal.VPDQ, Value: other}}, By: "t", Reason: "test"}); err != nil {
			t.Fatal(err)
		}
		var got []bank.VPDQEntry
		cur, err := s.VPDQEntries(ctx, func(e bank.VPDQEntry) error { got = append(got, e); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[0].Frames) != 2 || got[0].Frames[1].Quality != 90 || len(cur) != 1 {
			t.Fatalf("entries %+v, cursor %v", got, cur)
		}
		if m, err := s.LookupExact(ctx, signal.Signal{Kind: signal.VPDQ, Value: hma}); err != nil || len(m) != 1 {
			t.Errorf("lookup by the HMA form: %v, %v", m, err)
		}
	})
}
