package bank

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/havenproject/haven/internal/signal"
)

// Withdrawal names active entries of one bank to withdraw, and who
// withdraws them and why (both required).
type Withdrawal struct {
	Signals  []signal.Signal
	EntryIDs []int64
	By       string
	Reason   string
}

// Withdraw tombstones the active entries w names in the named bank: they
// stay, stamped with who, when and why, and no longer match. It returns how
// many it withdrew; naming an absent or already withdrawn entry is not an
// error (withdrawing twice is idempotent). All or nothing, in one
// transaction; the bank's Seq is bumped only when something changed.
func (s *Service) Withdraw(ctx context.Context, bankName string, w Withdrawal) (int64, error) {
	w.By, w.Reason = strings.TrimSpace(w.By), strings.TrimSpace(w.Reason)
	if w.By == "" || w.Reason == "" {
		return 0, fmt.Errorf("withdraw from bank %q: %w: say who withdraws and why", bankName, ErrInvalid)
	}
	if err := errors.Join(checkText(w.By), checkText(w.Reason)); err != nil {
		return 0, fmt.Errorf("withdraw from bank %q: %w", bankName, err)
	}
	keys := make([][]byte, len(w.Signals))
	for i, sig := range w.Signals {
		sig, err := normalize(sig)
		if err == nil {
			w.Signals[i] = sig
			keys[i], _, err = encodeValue(sig)
		}
		if err != nil {
			return 0, fmt.Errorf("withdraw from bank %q: %w", bankName, err)
		}
	}
	var n int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		n = 0
		ref, err := bumpSeq(ctx, tx, bankName, s.timestamp())
		if err != nil {
			return err
		}
		const set = `UPDATE entries SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3, seq = $4
			WHERE bank_id = $5 AND withdrawn_at IS NULL AND `
		args := []any{ref.at, w.By, w.Reason, ref.seq, ref.id, nil, nil}
		for i, sig := range w.Signals {
			args[5], args[6] = string(sig.Kind), keys[i]
			c, err := execCount(ctx, tx, set+`kind = $6 AND value = $7`, args...)
			if err != nil {
				return fmt.Errorf("withdraw %s: %w", sig, err)
			}
			n += c
		}
		for _, id := range w.EntryIDs {
			c, err := execCount(ctx, tx, set+`id = $6`, append(args[:5:5], id)...)
			if err != nil {
				return fmt.Errorf("withdraw entry %d: %w", id, err)
			}
			n += c
		}
		if n == 0 {
			return errNothingChanged
		}
		return nil
	})
	if err != nil && !errors.Is(err, errNothingChanged) {
		return 0, fmt.Errorf("withdraw from bank %q: %w", bankName, err)
	}
	return n, nil
}

func execCount(ctx context.Context, tx *sql.Tx, query string, args ...any) (int64, error) {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
