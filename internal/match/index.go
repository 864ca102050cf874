// Package match answers "which bank entries does this hash match?": exact
// kinds by equality, PDQ by Hamming distance within each bank's threshold
// (optionally over the query's eight dihedral variants), with negative banks
// (known-benign material) suppressing positive matches. It keeps everything
// it needs in memory so that a lookup touches no database; the caller feeds
// it the banks' entries at start-up and their changes as they happen.
package match

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/havenproject/haven/hamming"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
)

// An entry is identified in the PDQ index by one uint64: the bank id in the
// high bits and the entry id in the low ones, so that a hit names its bank
// without a lookup table (which would cost more memory than the index).
const entryBits = 40

// MaxEntryID and MaxBankID bound the ids the index can hold.
const (
	MaxEntryID = 1<<entryBits - 1
	MaxBankID  = 1<<(64-entryBits) - 1
)

func packID(bankID, entryID int64) uint64 { return uint64(bankID)<<entryBits | uint64(entryID) }

func unpackID(id uint64) (bankID, entryID int64) {
	return int64(id >> entryBits), int64(id & MaxEntryID)
}

// Bank is what the index needs to know of a bank.
type Bank struct {
	ID   int64
	Name string
	Kind bank.Kind
	// PDQThreshold is the bank's match distance for PDQ (default 31).
	PDQThreshold int
	// SharedWith lists the organisations that may match against the bank,
	// SourceOrg included.
	SharedWith []string
}

// Entry is one active bank entry as the index holds it.
type Entry struct {
	ID     int64
	BankID int64
	Signal signal.Signal
}

// Index holds the active entries of every bank. It is safe for concurrent
// use: lookups share a read lock, changes take the write lock.
type Index struct {
	mu    sync.RWMutex
	banks map[int64]*Bank
	// exact maps kind → value → entries. A value in several banks has
	// several refs.
	exact map[signal.Kind]map[string][]ref
	pdq   *hamming.Index
}

type ref struct{ bankID, entryID int64 }

// New returns an empty index.
func New() *Index {
	return &Index{
		banks: map[int64]*Bank{},
		exact: map[signal.Kind]map[string][]ref{},
		pdq:   hamming.New(),
	}
}

// SetBank adds or updates a bank's settings.
func (x *Index) SetBank(b Bank) error {
	if b.ID <= 0 || b.ID > MaxBankID {
		return fmt.Errorf("match: bank id %d out of range", b.ID)
	}
	if b.PDQThreshold <= 0 {
		b.PDQThreshold = pdq.DefaultMatchThreshold
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.banks[b.ID] = &b
	return nil
}

// Banks returns the banks the index knows, by id.
func (x *Index) Banks() []Bank {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([]Bank, 0, len(x.banks))
	for _, b := range x.banks {
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b Bank) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Add indexes an active entry (idempotent: adding it again changes
// nothing). Kinds the index does not match (vPDQ, for now) are ignored.
func (x *Index) Add(e Entry) error {
	if e.ID <= 0 || e.ID > MaxEntryID {
		return fmt.Errorf("match: entry id %d out of range", e.ID)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.addLocked(e)
}

// AddBatch indexes many entries under one lock, as at start-up.
func (x *Index) AddBatch(es []Entry) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	var pdqs []hamming.Entry
	for _, e := range es {
		if e.ID <= 0 || e.ID > MaxEntryID {
			return fmt.Errorf("match: entry id %d out of range", e.ID)
		}
		if e.Signal.Kind == signal.PDQ {
			h, err := e.Signal.PDQHash()
			if err != nil {
				return fmt.Errorf("match: entry %d: %w", e.ID, err)
			}
			pdqs = append(pdqs, hamming.Entry{ID: packID(e.BankID, e.ID), Hash: h})
			continue
		}
		if err := x.addLocked(e); err != nil {
			return err
		}
	}
	x.pdq.AddBatch(pdqs)
	return nil
}

func (x *Index) addLocked(e Entry) error {
	switch {
	case e.Signal.Kind == signal.PDQ:
		h, err := e.Signal.PDQHash()
		if err != nil {
			return fmt.Errorf("match: entry %d: %w", e.ID, err)
		}
		x.pdq.Add(packID(e.BankID, e.ID), h)
	case e.Signal.Kind.Exact():
		m := x.exact[e.Signal.Kind]
		if m == nil {
			m = map[string][]ref{}
			x.exact[e.Signal.Kind] = m
		}
		r := ref{e.BankID, e.ID}
		if !slices.Contains(m[e.Signal.Value], r) {
			m[e.Signal.Value] = append(m[e.Signal.Value], r)
		}
	}
	return nil
}

// Remove drops an entry (withdrawn, or its bank deleted). Removing an entry
// that is not there is not an error.
func (x *Index) Remove(e Entry) {
	x.mu.Lock()
	defer x.mu.Unlock()
	switch {
	case e.Signal.Kind == signal.PDQ:
		x.pdq.Remove(packID(e.BankID, e.ID))
	case e.Signal.Kind.Exact():
		m := x.exact[e.Signal.Kind]
		refs := slices.DeleteFunc(m[e.Signal.Value], func(r ref) bool { return r == ref{e.BankID, e.ID} })
		if len(refs) == 0 {
			delete(m, e.Signal.Value)
		} else {
			m[e.Signal.Value] = refs
		}
	}
}

// Stats counts what the index holds.
type Stats struct {
	Banks int
	PDQ   int
	Exact map[signal.Kind]int
}

// Stats reports the index's size.
func (x *Index) Stats() Stats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := Stats{Banks: len(x.banks), PDQ: x.pdq.Len(), Exact: map[signal.Kind]int{}}
	for k, m := range x.exact {
		s.Exact[k] = len(m)
	}
	return s
}
