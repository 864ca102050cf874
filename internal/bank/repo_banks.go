package bank

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
)

// bankNameRE keeps bank names usable in URL paths and file names, as HMA's
// /c/bank/<name> routes need.
var bankNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// maxOrgLen bounds an organisation name.
const maxOrgLen = 200

// BankUpdate names the fields of a bank to change; nil leaves a field as
// it is.
type BankUpdate struct {
	Description *string
	SourceOrg   *string
	Kind        *Kind
	// SharedWith replaces the list of organisations.
	SharedWith *[]string
	// Thresholds replaces the per-kind distances.
	Thresholds *map[signal.Kind]int
}

// Create adds a bank and returns it with its ID, Seq and times. An empty
// Kind means Positive. The name must be unique (ErrExists otherwise).
func (s *Service) Create(ctx context.Context, b Bank) (Bank, error) {
	if b.Kind == "" {
		b.Kind = Positive
	}
	b.SharedWith = normaliseOrgs(b.SharedWith)
	if err := validateBank(&b); err != nil {
		return Bank{}, fmt.Errorf("create bank %q: %w", b.Name, err)
	}
	thresholds, err := json.Marshal(nonNilThresholds(b.Thresholds))
	if err != nil {
		return Bank{}, fmt.Errorf("create bank %q: %w", b.Name, err)
	}
	now := s.timestamp()
	b.Seq, b.CreatedAt, b.UpdatedAt = 1, now, now
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO banks (name, description, source_org, kind, thresholds, seq, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			b.Name, b.Description, b.SourceOrg, string(b.Kind), string(thresholds), b.Seq, now, now).Scan(&b.ID)
		if store.IsUniqueViolation(err) {
			return ErrExists
		}
		if err != nil {
			return err
		}
		return insertShares(ctx, tx, b.ID, b.SharedWith)
	})
	if err != nil {
		return Bank{}, fmt.Errorf("create bank %q: %w", b.Name, err)
	}
	return b, nil
}

// Update changes the fields u names and bumps the bank's Seq.
func (s *Service) Update(ctx context.Context, name string, u BankUpdate) (Bank, error) {
	b, err := s.Get(ctx, name)
	if err != nil {
		return Bank{}, err
	}
	if u.Description != nil {
		b.Description = *u.Description
	}
	if u.SourceOrg != nil {
		b.SourceOrg = *u.SourceOrg
	}
	if u.Kind != nil {
		b.Kind = *u.Kind
	}
	if u.SharedWith != nil {
		b.SharedWith = normaliseOrgs(*u.SharedWith)
	}
	if u.Thresholds != nil {
		b.Thresholds = *u.Thresholds
	}
	if err := validateBank(&b); err != nil {
		return Bank{}, fmt.Errorf("update bank %q: %w", name, err)
	}
	thresholds, err := json.Marshal(nonNilThresholds(b.Thresholds))
	if err != nil {
		return Bank{}, fmt.Errorf("update bank %q: %w", name, err)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		ref, err := bumpSeq(ctx, tx, name, s.timestamp())
		if err != nil {
			return err
		}
		b.Seq, b.UpdatedAt = ref.seq, ref.at
		_, err = tx.ExecContext(ctx, `UPDATE banks SET description = $1, source_org = $2, kind = $3, thresholds = $4 WHERE id = $5`,
			b.Description, b.SourceOrg, string(b.Kind), string(thresholds), b.ID)
		if err != nil {
			return err
		}
		if u.SharedWith == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM bank_shares WHERE bank_id = $1`, b.ID); err != nil {
			return err
		}
		return insertShares(ctx, tx, b.ID, b.SharedWith)
	})
	if err != nil {
		return Bank{}, fmt.Errorf("update bank %q: %w", name, err)
	}
	return b, nil
}

// bankRef is a bank locked for a change, with its new Seq.
type bankRef struct {
	id  int64
	seq int64
	at  time.Time
}

// bumpSeq increments the named bank's Seq inside tx. The row lock it
// takes (on PostgreSQL; SQLite has one writer) orders concurrent changes
// to the bank, so that entries become visible in Seq order.
func bumpSeq(ctx context.Context, tx *sql.Tx, name string, now time.Time) (bankRef, error) {
	ref := bankRef{at: now}
	err := tx.QueryRowContext(ctx, `UPDATE banks SET seq = seq + 1, updated_at = $1 WHERE name = $2 RETURNING id, seq`,
		now, name).Scan(&ref.id, &ref.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, fmt.Errorf("bank %q: %w", name, ErrNotFound)
	}
	return ref, err
}

func insertShares(ctx context.Context, tx *sql.Tx, bankID int64, orgs []string) error {
	for _, org := range orgs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO bank_shares (bank_id, org) VALUES ($1, $2)`, bankID, org); err != nil {
			return fmt.Errorf("share with %q: %w", org, err)
		}
	}
	return nil
}

func normaliseOrgs(orgs []string) []string {
	out := make([]string, 0, len(orgs))
	for _, o := range orgs {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func nonNilThresholds(t map[signal.Kind]int) map[signal.Kind]int {
	if t == nil {
		return map[signal.Kind]int{}
	}
	return t
}

// MaxVPDQThreshold bounds a bank's vPDQ frame distance: the frame index is
// tuned for distances near PDQ's 31, and far larger ones match unrelated
// frames.
const MaxVPDQThreshold = 64

func validateBank(b *Bank) error {
	if !bankNameRE.MatchString(b.Name) {
		return fmt.Errorf("%w name %q: use 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit", ErrInvalid, b.Name)
	}
	if b.Kind != Positive && b.Kind != Negative {
		return fmt.Errorf("%w kind %q: want %s or %s", ErrInvalid, b.Kind, Positive, Negative)
	}
	for _, t := range append([]string{b.Description, b.SourceOrg}, b.SharedWith...) {
		if err := checkText(t); err != nil {
			return err
		}
	}
	for _, o := range append([]string{b.SourceOrg}, b.SharedWith...) {
		if len(o) > maxOrgLen {
			return fmt.Errorf("%w organisation name longer than %d bytes", ErrInvalid, maxOrgLen)
		}
	}
	for k, d := range b.Thresholds {
		switch k {
		case signal.PDQ, signal.VPDQ:
		default:
			return fmt.Errorf("%w threshold for %q: only perceptual kinds (pdq, vpdq) have distances", ErrInvalid, k)
		}
		if d < 0 || d > 256 || k == signal.VPDQ && d > MaxVPDQThreshold {
			return fmt.Errorf("%w threshold %s=%d: want 0 to %d", ErrInvalid, k, d, map[signal.Kind]int{signal.PDQ: 256, signal.VPDQ: MaxVPDQThreshold}[k])
		}
	}
	return nil
}

// checkText refuses what PostgreSQL's text type cannot hold, so that both
// databases accept the same values.
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w text: not UTF-8", ErrInvalid)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("%w text: contains a NUL byte", ErrInvalid)
	}
	return nil
}
