package bank

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/vpdq"
)

// normalize returns sig in its stored form: signal.New's, and for vPDQ the
// reference's text format (vpdq.CanonicalSignal), whichever form the
// source wrote (HMA's JSON array, pytx's older object), so that one video's
// hash has one key.
func normalize(sig signal.Signal) (signal.Signal, error) {
	sig, err := signal.New(sig.Kind, sig.Value)
	if err != nil || sig.Kind != signal.VPDQ {
		return sig, err
	}
	v, err := vpdq.CanonicalSignal(sig.Value)
	if err != nil {
		return signal.Signal{}, fmt.Errorf("%w: %w", signal.ErrValue, err)
	}
	return signal.Signal{Kind: signal.VPDQ, Value: v}, nil
}

// VPDQEntry is the part of an active vPDQ entry an index needs.
type VPDQEntry struct {
	ID     int64
	BankID int64
	Frames []vpdq.Frame
}

// VPDQEntries calls yield with every active vPDQ entry of every bank, by
// ID, with its frames parsed; the Cursor is as PDQEntries'. An entry whose
// stored text does not parse (written by something else than Import) ends
// the scan with an error naming it.
func (s *Service) VPDQEntries(ctx context.Context, yield func(VPDQEntry) error) (Cursor, error) {
	cur, err := s.cursor(ctx)
	if err != nil {
		return nil, fmt.Errorf("vpdq entries: %w", err)
	}
	rows, err := s.db.SQL.QueryContext(ctx,
		`SELECT id, bank_id, value_text FROM entries WHERE kind = $1 AND withdrawn_at IS NULL ORDER BY id`, string(signal.VPDQ))
	if err != nil {
		return nil, fmt.Errorf("vpdq entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e VPDQEntry
		var text sql.NullString
		if err := rows.Scan(&e.ID, &e.BankID, &text); err != nil {
			return nil, fmt.Errorf("vpdq entries: %w", err)
		}
		if e.Frames, err = vpdq.ParseSignal(text.String); err != nil {
			return nil, fmt.Errorf("vpdq entry %d: %w", e.ID, err)
		}
		if err := yield(e); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("vpdq entries: %w", err)
	}
	return cur, nil
}
