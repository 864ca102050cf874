package bank_test

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// TestFollowConcurrentChanges runs imports and withdrawals into two banks
// from several goroutines while a follower applies Changes, and checks
// that the follower ends with exactly the active PDQ entries.
func TestFollowConcurrentChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := newService(t, db, "a", "b")
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 4 {
			wg.Go(func() {
				name := []string{"a", "b"}[w%2]
				for round := range 5 {
					src := newRandomSource(200, uint64(w*100+round))
					if _, err := s.Import(ctx, name, src, bank.ImportOptions{BatchSize: 64}); err != nil {
						errs <- err
						return
					}
					first, _ := newRandomSource(1, uint64(w*100+round)).Next()
					if _, err := s.Withdraw(ctx, name, bank.Withdrawal{Signals: []signal.Signal{first.Signal},
						By: "w", Reason: fmt.Sprint(round)}); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		active := map[int64]bool{}
		apply := func(e *bank.Entry) error {
			if e.Active() {
				active[e.ID] = true
			} else {
				delete(active, e.ID)
			}
			return nil
		}
		var cur bank.Cursor
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		for following := true; following; {
			select {
			case <-done:
				following = false
			default:
			}
			var err error
			if cur, err = s.Changes(ctx, cur, apply); err != nil {
				t.Fatal(err)
			}
		}
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if _, err := s.Changes(ctx, cur, apply); err != nil {
			t.Fatal(err)
		}
		want := map[int64]bool{}
		if _, err := s.PDQEntries(context.Background(), func(e bank.PDQEntry) error { want[e.ID] = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if len(want) != 4*5*199 || !maps.Equal(active, want) {
			t.Errorf("follower has %d active entries, store %d", len(active), len(want))
		}
	})
}
