package bank

import (
	"context"
	"fmt"

	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
)

// PDQEntry is the part of an active PDQ entry an index needs.
type PDQEntry struct {
	ID     int64
	BankID int64
	Hash   pdq.Hash
}

// PDQEntries calls yield with every active PDQ entry of every bank, by ID,
// for building an index; it returns a Cursor of the banks' Seqs read
// before the scan, from which Changes then brings the index up to date
// (changes that commit during the scan may be yielded by both: apply
// them idempotently, by entry ID).
func (s *Service) PDQEntries(ctx context.Context, yield func(PDQEntry) error) (Cursor, error) {
	cur, err := s.cursor(ctx)
	if err != nil {
		return nil, fmt.Errorf("pdq entries: %w", err)
	}
	rows, err := s.db.SQL.QueryContext(ctx,
		`SELECT id, bank_id, value FROM entries WHERE kind = $1 AND withdrawn_at IS NULL ORDER BY id`, string(signal.PDQ))
	if err != nil {
		return nil, fmt.Errorf("pdq entries: %w", err)
	}
	defer rows.Close()
	var (
		e   PDQEntry
		key []byte
	)
	for rows.Next() {
		if err := rows.Scan(&e.ID, &e.BankID, &key); err != nil {
			return nil, fmt.Errorf("pdq entries: %w", err)
		}
		if len(key) != pdq.Size {
			return nil, fmt.Errorf("pdq entry %d: %d bytes", e.ID, len(key))
		}
		copy(e.Hash[:], key)
		if err := yield(e); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pdq entries: %w", err)
	}
	return cur, nil
}

// cursor is every bank's sequence number now: taken before a full scan,
// it is where Changes resumes after it.
func (s *Service) cursor(ctx context.Context) (Cursor, error) {
	banks, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	cur := make(Cursor, len(banks))
	for _, b := range banks {
		cur[b.ID] = b.Seq
	}
	return cur, nil
}
