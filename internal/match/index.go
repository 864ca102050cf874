// Package match answers "which bank entries does this hash match?": exact
// kinds by equality, PDQ by Hamming distance within each bank's threshold
// (optionally over the query's eight dihedral variants), vPDQ videos by
// their matching frames (vpdq's comparison, with each bank's frame
// distance), with negative banks
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
	"github.com/havenproject/haven/vpdq"
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
	// VPDQThreshold is the bank's frame match distance for vPDQ (default
	// 31, at most MaxVPDQThreshold).
	VPDQThreshold int
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
	// videos holds the vPDQ entries under packID, matched with
	// VideoOptions and each bank's VPDQThreshold.
	videos *vpdq.Index
}

type ref struct{ bankID, entryID int64 }

// pdqBytesPerHash is the memory the PDQ tables may take per hash. Above
// hamming's default (94, its 10M-hash target) the cost model can choose 16
// boxes of 16 bits at 1M hashes, which cut a radius-31 search from about
// 150 to 55 µs of CPU (docs/benchmarks-hamming.md): a lookup server's
// throughput is that search, and 120 MB per million hashes is affordable.
const pdqBytesPerHash = 120

// New returns an empty index.
func New() *Index {
	return &Index{
		banks:  map[int64]*Bank{},
		exact:  map[signal.Kind]map[string][]ref{},
		pdq:    hamming.NewWithOptions(hamming.Options{MaxBytesPerHash: pdqBytesPerHash}),
		videos: newVideoIndex(),
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
	if b.VPDQThreshold <= 0 {
		b.VPDQThreshold = VideoOptions.Distance
	}
	if b.VPDQThreshold > MaxVPDQThreshold {
		return fmt.Errorf("match: bank %d: vpdq threshold %d over %d", b.ID, b.VPDQThreshold, MaxVPDQThreshold)
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

// Indexed reports the kinds Add indexes: PDQ, vPDQ and the exact kinds.
func Indexed(k signal.Kind) bool { return k == signal.PDQ || k == signal.VPDQ || k.Exact() }

// Add indexes an active entry (idempotent: adding it again changes
// nothing; a vPDQ entry added again replaces its frames). Kinds the index
// does not match are ignored. A vPDQ value that does not parse is an
// error wrapping vpdq.ErrSyntax.
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
	var videos []vpdq.Video
	for _, e := range es {
		if e.ID <= 0 || e.ID > MaxEntryID {
			return fmt.Errorf("match: entry id %d out of range", e.ID)
		}
		if e.Signal.Kind == signal.VPDQ {
			frames, err := vpdq.ParseSignal(e.Signal.Value)
			if err != nil {
				return fmt.Errorf("match: entry %d: %w", e.ID, err)
			}
			videos = append(videos, vpdq.Video{ID: packID(e.BankID, e.ID), Frames: frames})
			continue
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
	if err := x.videos.AddBatch(videos); err != nil {
		return fmt.Errorf("match: %w", err)
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
	case e.Signal.Kind == signal.VPDQ:
		frames, err := vpdq.ParseSignal(e.Signal.Value)
		if err != nil {
			return fmt.Errorf("match: entry %d: %w", e.ID, err)
		}
		if err := x.videos.Add(packID(e.BankID, e.ID), frames); err != nil {
			return fmt.Errorf("match: entry %d: %w", e.ID, err)
		}
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
	case e.Signal.Kind == signal.VPDQ:
		x.videos.Remove(packID(e.BankID, e.ID))
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
	// VPDQ counts the videos (vPDQ entries) indexed.
	VPDQ  int
	Exact map[signal.Kind]int
}

// Stats reports the index's size.
func (x *Index) Stats() Stats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := Stats{Banks: len(x.banks), PDQ: x.pdq.Len(), VPDQ: x.videos.Len(), Exact: map[signal.Kind]int{}}
	for k, m := range x.exact {
		s.Exact[k] = len(m)
	}
	return s
}
