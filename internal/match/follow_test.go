package match

import (
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// sliceSource is a bank.EntrySource over a slice.
type sliceSource []bank.Entry

func (s *sliceSource) Next() (bank.Entry, error) {
	if len(*s) == 0 {
		return bank.Entry{}, io.EOF
	}
	e := (*s)[0]
	*s = (*s)[1:]
	return e, nil
}

func TestFollowerSync(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		svc := bank.NewService(db)
		if _, err := svc.Create(ctx, bank.Bank{Name: "a", SourceOrg: "hotline"}); err != nil {
			t.Fatal(err)
		}
		f, err := NewFollower(ctx, svc)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		h := randomHash(r)
		// A bank created after the load, and an entry in it.
		if _, err := svc.Create(ctx, bank.Bank{Name: "b", SourceOrg: "police", SharedWith: []string{"platform"}}); err != nil {
			t.Fatal(err)
		}
		src := sliceSource{{Signal: pdqSignal(h)}, {Signal: signal.Signal{Kind: signal.MD5, Value: "0123456789abcdef0123456789abcdef"}}}
		if _, err := svc.Import(ctx, "b", &src, bank.ImportOptions{AddedBy: "test"}); err != nil {
			t.Fatal(err)
		}
		if hits := f.Index().Lookup(Query{Signal: pdqSignal(h)}); len(hits) != 0 {
			t.Fatalf("hits before sync: %v", hits)
		}
		if err := f.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		hits := f.Index().Lookup(Query{Signal: pdqSignal(flip(h, 3, 70))})
		if len(hits) != 1 || hits[0].BankName != "b" || hits[0].Distance != 2 {
			t.Fatalf("hits after sync: %+v", hits)
		}
		if st := f.Status(); st.PDQ != 1 || st.Banks != 2 || st.Applied != 1 {
			t.Errorf("status %+v", st)
		}
		// Settings and withdrawals follow too.
		shared := []string{"other"}
		if _, err := svc.Update(ctx, "b", bank.BankUpdate{SharedWith: &shared}); err != nil {
			t.Fatal(err)
		}
		if err := f.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		for _, b := range f.Index().Banks() {
			if b.Name == "b" && (len(b.SharedWith) != 2 || b.SharedWith[0] != "other") {
				t.Errorf("bank b shared with %v", b.SharedWith)
			}
		}
		if _, err := svc.Withdraw(ctx, "b", bank.Withdrawal{Signals: []signal.Signal{pdqSignal(h)}, By: "t", Reason: "test"}); err != nil {
			t.Fatal(err)
		}
		if err := f.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if hits := f.Index().Lookup(Query{Signal: pdqSignal(h)}); len(hits) != 0 {
			t.Fatalf("hits after withdrawal: %v", hits)
		}
	})
}
