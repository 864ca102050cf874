package bank

import (
	"context"
	"encoding/json"
	"fmt"
)

const bankCols = `id, name, description, source_org, kind, thresholds, seq, created_at, updated_at`

// List returns every bank, by name.
func (s *Service) List(ctx context.Context) ([]Bank, error) {
	banks, err := s.queryBanks(ctx, `SELECT `+bankCols+` FROM banks ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list banks: %w", err)
	}
	return banks, nil
}

// Get returns the named bank, or an error matching ErrNotFound.
func (s *Service) Get(ctx context.Context, name string) (Bank, error) {
	banks, err := s.queryBanks(ctx, `SELECT `+bankCols+` FROM banks WHERE name = $1`, name)
	if err != nil {
		return Bank{}, fmt.Errorf("get bank %q: %w", name, err)
	}
	if len(banks) == 0 {
		return Bank{}, fmt.Errorf("bank %q: %w", name, ErrNotFound)
	}
	return banks[0], nil
}

// GetByID returns the bank with the given ID, or an error matching
// ErrNotFound.
func (s *Service) GetByID(ctx context.Context, id int64) (Bank, error) {
	banks, err := s.queryBanks(ctx, `SELECT `+bankCols+` FROM banks WHERE id = $1`, id)
	if err != nil {
		return Bank{}, fmt.Errorf("get bank %d: %w", id, err)
	}
	if len(banks) == 0 {
		return Bank{}, fmt.Errorf("bank %d: %w", id, ErrNotFound)
	}
	return banks[0], nil
}

func (s *Service) queryBanks(ctx context.Context, query string, args ...any) ([]Bank, error) {
	rows, err := s.db.SQL.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var banks []Bank
	for rows.Next() {
		var (
			b          Bank
			kind       string
			thresholds string
		)
		if err := rows.Scan(&b.ID, &b.Name, &b.Description, &b.SourceOrg, &kind, &thresholds, &b.Seq, &b.CreatedAt, &b.UpdatedAt); err != nil {
			return nil, err
		}
		b.Kind = Kind(kind)
		b.CreatedAt, b.UpdatedAt = b.CreatedAt.UTC(), b.UpdatedAt.UTC()
		if err := json.Unmarshal([]byte(thresholds), &b.Thresholds); err != nil {
			return nil, fmt.Errorf("bank %q thresholds: %w", b.Name, err)
		}
		if len(b.Thresholds) == 0 {
			b.Thresholds = nil
		}
		banks = append(banks, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return banks, s.loadShares(ctx, banks)
}

// loadShares fills SharedWith of banks.
func (s *Service) loadShares(ctx context.Context, banks []Bank) error {
	if len(banks) == 0 {
		return nil
	}
	byID := make(map[int64]*Bank, len(banks))
	for i := range banks {
		byID[banks[i].ID] = &banks[i]
	}
	query, args := `SELECT bank_id, org FROM bank_shares ORDER BY bank_id, org`, []any(nil)
	if len(banks) == 1 {
		query, args = `SELECT bank_id, org FROM bank_shares WHERE bank_id = $1 ORDER BY org`, []any{banks[0].ID}
	}
	rows, err := s.db.SQL.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sharing terms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id  int64
			org string
		)
		if err := rows.Scan(&id, &org); err != nil {
			return fmt.Errorf("sharing terms: %w", err)
		}
		if b := byID[id]; b != nil {
			b.SharedWith = append(b.SharedWith, org)
		}
	}
	return rows.Err()
}
