package match

import (
	"context"
	"fmt"

	"github.com/havenproject/haven/hamming"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/vpdq"
)

// BankFrom converts a stored bank to the index's view of it.
func BankFrom(b bank.Bank) Bank {
	shared := append([]string{}, b.SharedWith...)
	if b.SourceOrg != "" {
		shared = append(shared, b.SourceOrg)
	}
	return Bank{ID: b.ID, Name: b.Name, Kind: b.Kind, PDQThreshold: b.Thresholds[signal.PDQ],
		VPDQThreshold: min(b.Thresholds[signal.VPDQ], MaxVPDQThreshold), SharedWith: shared}
}

// LoadPDQ is Load; the name is older than vPDQ matching.
func LoadPDQ(ctx context.Context, svc *bank.Service) (*Index, bank.Cursor, error) {
	return Load(ctx, svc)
}

// Load builds an index of every bank and every active PDQ and vPDQ entry
// in the store. It returns the cursor from which bank.Service.Changes
// brings the index up to date later (apply changes of the kinds Indexed
// reports). Exact kinds are left to the store's own lookups.
func Load(ctx context.Context, svc *bank.Service) (*Index, bank.Cursor, error) {
	x := New()
	banks, err := svc.List(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load index: %w", err)
	}
	for _, b := range banks {
		if err := x.SetBank(BankFrom(b)); err != nil {
			return nil, nil, fmt.Errorf("load index: %w", err)
		}
	}
	const batch = 1 << 16
	buf := make([]hamming.Entry, 0, batch)
	flush := func() {
		x.mu.Lock()
		x.pdq.AddBatch(buf)
		x.mu.Unlock()
		buf = buf[:0]
	}
	cur, err := svc.PDQEntries(ctx, func(e bank.PDQEntry) error {
		if e.ID <= 0 || e.ID > MaxEntryID || e.BankID <= 0 || e.BankID > MaxBankID {
			return fmt.Errorf("entry %d of bank %d: id out of the index's range", e.ID, e.BankID)
		}
		buf = append(buf, hamming.Entry{ID: packID(e.BankID, e.ID), Hash: e.Hash})
		if len(buf) == batch {
			flush()
		}
		return nil
	})
	flush()
	if err != nil {
		return nil, nil, fmt.Errorf("load index: %w", err)
	}
	// The batches leave segments of halving sizes, each with its own
	// directory probes per search; one segment answers about twice as fast.
	x.mu.Lock()
	x.pdq.Compact()
	x.mu.Unlock()
	if err := loadVideos(ctx, svc, x); err != nil {
		return nil, nil, fmt.Errorf("load index: %w", err)
	}
	// cur is from before both scans: changes committed meanwhile come
	// again from Changes, and applying them again is harmless.
	return x, cur, nil
}

// loadVideos adds every active vPDQ entry, in batches.
func loadVideos(ctx context.Context, svc *bank.Service, x *Index) error {
	const batch = 1 << 12
	buf := make([]vpdq.Video, 0, batch)
	flush := func() error {
		err := x.videos.AddBatch(buf)
		buf = buf[:0]
		return err
	}
	_, err := svc.VPDQEntries(ctx, func(e bank.VPDQEntry) error {
		if e.ID <= 0 || e.ID > MaxEntryID || e.BankID <= 0 || e.BankID > MaxBankID {
			return fmt.Errorf("entry %d of bank %d: id out of the index's range", e.ID, e.BankID)
		}
		buf = append(buf, vpdq.Video{ID: packID(e.BankID, e.ID), Frames: e.Frames})
		if len(buf) == batch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}
