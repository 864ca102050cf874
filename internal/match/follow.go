package match

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
)

// Follower keeps an Index current with the store: it loads every bank and
// active PDQ and vPDQ entry at start (Load), then applies bank.Service.Changes
// whenever it is woken (Wake, e.g. on a PostgreSQL notification or after a
// change made by this process) and at least every poll interval, so that
// changes made by another Haven node or a command line reach the index
// within one interval even when no notification arrives.
//
// All methods are safe for concurrent use; lookups use Index() while the
// follower updates it, and syncs are serialised.
type Follower struct {
	svc    *bank.Service
	idx    *Index
	syncMu sync.Mutex // serialises syncs; guards cur
	// cur is the cursor up to which changes are applied.
	cur  bank.Cursor
	wake chan struct{}

	mu     sync.Mutex // guards status
	status FollowStatus
}

// FollowStatus says how current a follower's index is.
type FollowStatus struct {
	// PDQ and VPDQ count the active entries indexed; Banks the banks
	// known.
	PDQ   int
	VPDQ  int
	Banks int
	// LoadedAt is when the initial load finished; LastSync when the last
	// successful Sync finished (zero before the first).
	LoadedAt time.Time
	LastSync time.Time
	// Applied counts the entry changes applied since the load.
	Applied int64
	// Errors counts failed syncs; LastError is the latest one's message,
	// cleared by a successful sync.
	Errors    int64
	LastError string
}

// Lag is how long ago the index was last known to be current.
func (s FollowStatus) Lag(now time.Time) time.Duration {
	if s.LastSync.IsZero() {
		return now.Sub(s.LoadedAt)
	}
	return now.Sub(s.LastSync)
}

// NewFollower loads the index from svc.
func NewFollower(ctx context.Context, svc *bank.Service) (*Follower, error) {
	idx, cur, err := Load(ctx, svc)
	if err != nil {
		return nil, err
	}
	f := &Follower{svc: svc, idx: idx, cur: cur, wake: make(chan struct{}, 1)}
	st := idx.Stats()
	now := time.Now()
	f.status = FollowStatus{PDQ: st.PDQ, VPDQ: st.VPDQ, Banks: st.Banks, LoadedAt: now, LastSync: now}
	return f, nil
}

// Index returns the followed index, for lookups.
func (f *Follower) Index() *Index { return f.idx }

// Status reports how current the index is.
func (f *Follower) Status() FollowStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}

// Wake asks Run to sync now. It never blocks; wakes while a sync is
// pending are merged into it.
func (f *Follower) Wake() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Sync applies the changes committed since the last sync: bank settings
// (thresholds, sharing, kind) and added or withdrawn PDQ and vPDQ entries. On error
// the changes of the banks already read stay applied, and the next Sync
// resumes from there.
func (f *Follower) Sync(ctx context.Context) error {
	f.syncMu.Lock()
	err := f.sync(ctx)
	f.syncMu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		f.status.Errors++
		f.status.LastError = err.Error()
		return err
	}
	st := f.idx.Stats()
	f.status.PDQ, f.status.VPDQ, f.status.Banks = st.PDQ, st.VPDQ, st.Banks
	f.status.LastSync = time.Now()
	f.status.LastError = ""
	return nil
}

func (f *Follower) sync(ctx context.Context) error {
	// Settings first: an entry of a bank created since the load needs its
	// bank known to match.
	banks, err := f.svc.List(ctx)
	if err != nil {
		return fmt.Errorf("follow banks: %w", err)
	}
	for _, b := range banks {
		if err := f.idx.SetBank(BankFrom(b)); err != nil {
			return fmt.Errorf("follow banks: %w", err)
		}
	}
	var applied int64
	next, err := f.svc.Changes(ctx, f.cur, func(e *bank.Entry) error {
		if e.Signal.Kind != signal.PDQ && e.Signal.Kind != signal.VPDQ {
			return nil // exact kinds are looked up in the store, as Load leaves them
		}
		applied++
		ix := Entry{ID: e.ID, BankID: e.BankID, Signal: e.Signal}
		if e.Active() {
			return f.idx.Add(ix)
		}
		f.idx.Remove(ix)
		return nil
	})
	f.cur = next
	f.mu.Lock()
	f.status.Applied += applied
	f.mu.Unlock()
	if err != nil {
		return fmt.Errorf("follow bank changes: %w", err)
	}
	return nil
}

// Run syncs on every Wake and every poll interval until ctx ends, and then
// returns nil. A failed sync is reported through onError (if set) and
// retried at the next wake or tick.
func (f *Follower) Run(ctx context.Context, poll time.Duration, onError func(error)) error {
	if poll <= 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-f.wake:
		}
		if err := f.Sync(ctx); err != nil && ctx.Err() == nil && onError != nil {
			onError(err)
		}
	}
}
