package bank_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func importEntries(t *testing.T, s *bank.Service, name string, entries ...bank.Entry) bank.ImportResult {
	t.Helper()
	res, err := s.Import(t.Context(), name, &sliceSource{entries: entries}, bank.ImportOptions{AddedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestWithdrawAndLookup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := newService(t, db, "a", "b")
		uk, _ := bank.NewCategory(bank.SchemeUK, "A")
		importEntries(t, s, "a", bank.Entry{Signal: sig(signal.MD5, 1), Category: uk}, bank.Entry{Signal: sig(signal.PDQ, 2)},
			bank.Entry{Signal: sig(signal.PDQ, 3)})
		importEntries(t, s, "b", bank.Entry{Signal: sig(signal.MD5, 1)})

		m, err := s.LookupExact(ctx, sig(signal.MD5, 1))
		if err != nil || len(m) != 2 || m[0].Bank.Name != "a" || m[1].Bank.Name != "b" || m[0].Entry.Category != uk {
			t.Fatalf("lookup: %+v, %v", m, err)
		}
		seq := m[0].Bank.Seq

		if _, err := s.Withdraw(ctx, "a", bank.Withdrawal{Signals: []signal.Signal{sig(signal.MD5, 1)}}); !errors.Is(err, bank.ErrInvalid) {
			t.Errorf("withdraw without who/why: %v", err)
		}
		var pdqID int64
		s.Export(ctx, "a", bank.ExportOptions{}, func(e *bank.Entry) error {
			if e.Signal == sig(signal.PDQ, 3) {
				pdqID = e.ID
			}
			return nil
		})
		w := bank.Withdrawal{Signals: []signal.Signal{sig(signal.MD5, 1), sig(signal.SHA1, 9)}, EntryIDs: []int64{pdqID, 99999},
			By: "analyst-2", Reason: "false positive"}
		n, err := s.Withdraw(ctx, "a", w)
		if err != nil || n != 2 {
			t.Fatalf("withdraw: %d, %v", n, err)
		}
		if n, err := s.Withdraw(ctx, "a", w); err != nil || n != 0 {
			t.Errorf("withdraw again: %d, %v", n, err)
		}
		if b, _ := s.Get(ctx, "a"); b.Seq != seq+1 {
			t.Errorf("seq %d, want %d", b.Seq, seq+1)
		}

		m, err = s.LookupExact(ctx, sig(signal.MD5, 1))
		if err != nil || len(m) != 1 || m[0].Bank.Name != "b" {
			t.Errorf("lookup after withdraw: %+v, %v", m, err)
		}
		var tomb []bank.Entry
		s.Export(ctx, "a", bank.ExportOptions{IncludeWithdrawn: true}, func(e *bank.Entry) error {
			if !e.Active() {
				tomb = append(tomb, *e)
			}
			return nil
		})
		if len(tomb) != 2 || tomb[0].WithdrawnBy != "analyst-2" || tomb[0].WithdrawnReason != "false positive" || tomb[0].Seq != seq+1 {
			t.Errorf("tombstones %+v", tomb)
		}
		// A withdrawn hash can be added again: a new opinion.
		if res := importEntries(t, s, "a", bank.Entry{Signal: sig(signal.MD5, 1)}); res.Inserted != 1 {
			t.Errorf("re-add: %+v", res)
		}

		st := stats(t, s, "a")
		want := bank.Stats{Bank: "a", Seq: seq + 2, Active: 2, Withdrawn: 2,
			Kinds:      map[signal.Kind]bank.KindStats{signal.MD5: {Active: 1, Withdrawn: 1}, signal.PDQ: {Active: 1, Withdrawn: 1}},
			Categories: map[bank.Category]int64{{}: 2}}
		if !reflect.DeepEqual(st, want) {
			t.Errorf("stats\n got %+v\nwant %+v", st, want)
		}
	})
}

func TestChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := newService(t, db, "a", "b")
		follow := func(cur bank.Cursor) (bank.Cursor, map[signal.Signal]bool) {
			t.Helper()
			seen := map[signal.Signal]bool{}
			next, err := s.Changes(ctx, cur, func(e *bank.Entry) error {
				if _, dup := seen[e.Signal]; dup {
					t.Errorf("%v yielded twice", e.Signal)
				}
				seen[e.Signal] = e.Active()
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return next, seen
		}
		importEntries(t, s, "a", bank.Entry{Signal: sig(signal.PDQ, 1)}, bank.Entry{Signal: sig(signal.PDQ, 2)})
		cur, seen := follow(nil)
		if !reflect.DeepEqual(seen, map[signal.Signal]bool{sig(signal.PDQ, 1): true, sig(signal.PDQ, 2): true}) {
			t.Errorf("first: %v", seen)
		}
		if _, seen := follow(cur); len(seen) != 0 {
			t.Errorf("nothing changed, got %v", seen)
		}
		importEntries(t, s, "b", bank.Entry{Signal: sig(signal.PDQ, 1)})
		s.Withdraw(ctx, "a", bank.Withdrawal{Signals: []signal.Signal{sig(signal.PDQ, 2)}, By: "x", Reason: "y"})
		cur2, seen := follow(cur)
		if !reflect.DeepEqual(seen, map[signal.Signal]bool{sig(signal.PDQ, 1): true, sig(signal.PDQ, 2): false}) {
			t.Errorf("second: %v", seen)
		}
		if a, b := banksByName(t, s); cur[a] != 2 || cur[b] != 1 || cur2[a] != 3 || cur2[b] != 2 {
			t.Errorf("cursors %v %v", cur, cur2)
		}

		var active []bank.PDQEntry
		pcur, err := s.PDQEntries(ctx, func(e bank.PDQEntry) error { active = append(active, e); return nil })
		if err != nil || len(active) != 2 || active[0].Hash.String() != sig(signal.PDQ, 1).Value || !reflect.DeepEqual(pcur, cur2) {
			t.Errorf("pdq entries %v, cursor %v, %v", active, pcur, err)
		}
	})
}

func banksByName(t *testing.T, s *bank.Service) (a, b int64) {
	t.Helper()
	ba, err := s.Get(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	bb, err := s.Get(t.Context(), "b")
	if err != nil {
		t.Fatal(err)
	}
	return ba.ID, bb.ID
}
