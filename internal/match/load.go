package match

import (
	"context"
	"fmt"

	"github.com/havenproject/haven/hamming"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
)

// BankFrom converts a stored bank to the index's view of it.
func BankFrom(b bank.Bank) Bank {
	shared := append([]string{}, b.SharedWith...)
	if b.SourceOrg != "" {
		shared = append(shared, b.SourceOrg)
	}
	return Bank{ID: b.ID, Name: b.Name, Kind: b.Kind, PDQThreshold: b.Thresholds[signal.PDQ], SharedWith: shared}
}

// LoadPDQ builds an index of every bank and every active PDQ entry in the
// store. It returns the cursor from which bank.Service.Changes brings the
// index up to date later. Exact kinds are left to the store's own lookups.
func LoadPDQ(ctx context.Context, svc *bank.Service) (*Index, bank.Cursor, error) {
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
	return x, cur, nil
}
