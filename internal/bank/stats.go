package bank

import (
	"context"
	"fmt"

	"github.com/havenproject/haven/internal/signal"
)

// Stats counts a bank's entries.
type Stats struct {
	Bank      string
	Seq       int64
	Active    int64
	Withdrawn int64
	// Kinds counts entries per signal kind.
	Kinds map[signal.Kind]KindStats
	// Categories counts active entries per category (the zero Category
	// counts uncategorised ones).
	Categories map[Category]int64
}

// KindStats counts the entries of one kind.
type KindStats struct {
	Active    int64
	Withdrawn int64
}

// Stats counts the named bank's entries, from one snapshot per query (a
// change committing between the two queries may show in one only).
func (s *Service) Stats(ctx context.Context, bankName string) (Stats, error) {
	b, err := s.Get(ctx, bankName)
	if err != nil {
		return Stats{}, fmt.Errorf("stats of bank %q: %w", bankName, err)
	}
	st := Stats{Bank: b.Name, Seq: b.Seq, Kinds: map[signal.Kind]KindStats{}, Categories: map[Category]int64{}}
	if err := s.kindStats(ctx, b.ID, &st); err != nil {
		return Stats{}, fmt.Errorf("stats of bank %q: %w", bankName, err)
	}
	if err := s.categoryStats(ctx, b.ID, &st); err != nil {
		return Stats{}, fmt.Errorf("stats of bank %q: %w", bankName, err)
	}
	return st, nil
}

func (s *Service) kindStats(ctx context.Context, bankID int64, st *Stats) error {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT kind, CASE WHEN withdrawn_at IS NULL THEN 1 ELSE 0 END AS active, COUNT(*)
		FROM entries WHERE bank_id = $1 GROUP BY kind, active`, bankID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			kind   string
			active int
			n      int64
		)
		if err := rows.Scan(&kind, &active, &n); err != nil {
			return err
		}
		ks := st.Kinds[signal.Kind(kind)]
		if active == 1 {
			ks.Active += n
			st.Active += n
		} else {
			ks.Withdrawn += n
			st.Withdrawn += n
		}
		st.Kinds[signal.Kind(kind)] = ks
	}
	return rows.Err()
}

func (s *Service) categoryStats(ctx context.Context, bankID int64, st *Stats) error {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT category_scheme, category_value, COUNT(*)
		FROM entries WHERE bank_id = $1 AND withdrawn_at IS NULL GROUP BY category_scheme, category_value`, bankID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c Category
			n int64
		)
		if err := rows.Scan(&c.Scheme, &c.Value, &n); err != nil {
			return err
		}
		st.Categories[c] = n
	}
	return rows.Err()
}
