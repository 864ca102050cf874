package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/havenproject/haven/internal/store"
)

// Org is an organisation: a police unit, a hotline, a platform.
type Org struct {
	ID int64
	// Name is the short name that banks' SharedWith lists use.
	Name      string
	Display   string
	CreatedAt time.Time
}

// namePattern is what organisation and login names may look like: short,
// lowercase, safe in URLs, logs and comma-separated lists.
var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{0,63}$`)

// normName lowercases name and checks it against namePattern.
func normName(kind, name string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if !namePattern.MatchString(n) {
		return "", fmt.Errorf("%w %s %q: 1 to 64 of a-z 0-9 . _ @ -, starting with a letter or digit", ErrInvalid, kind, name)
	}
	return n, nil
}

// checkText accepts a free-text field (a display name, a token's name):
// valid UTF-8 without control characters, at most limit bytes.
func checkText(kind, s string, limit int) error {
	if len(s) > limit || !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("%w %s: at most %d bytes of text without control characters", ErrInvalid, kind, limit)
	}
	return nil
}

// CreateOrg adds an organisation. name is lowercased; ErrExists if taken.
func (s *Service) CreateOrg(ctx context.Context, name, display string) (Org, error) {
	n, err := normName("organisation name", name)
	if err != nil {
		return Org{}, err
	}
	o := Org{Name: n, Display: strings.TrimSpace(display), CreatedAt: s.timestamp()}
	if o.Display == "" {
		o.Display = n
	}
	if err := checkText("display name", o.Display, 200); err != nil {
		return Org{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO orgs (name, display, created_at) VALUES ($1, $2, $3) RETURNING id`,
			o.Name, o.Display, o.CreatedAt).Scan(&o.ID)
	})
	if store.IsUniqueViolation(err) {
		return Org{}, fmt.Errorf("create organisation %s: %w", n, ErrExists)
	}
	if err != nil {
		return Org{}, fmt.Errorf("create organisation %s: %w", n, err)
	}
	return o, nil
}

// ListOrgs returns every organisation, by name.
func (s *Service) ListOrgs(ctx context.Context) ([]Org, error) {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT id, name, display, created_at FROM orgs ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	var out []Org
	for rows.Next() {
		var o Org
		if err := rows.Scan(&o.ID, &o.Name, &o.Display, &o.CreatedAt); err != nil {
			return nil, fmt.Errorf("list organisations: %w", err)
		}
		o.CreatedAt = o.CreatedAt.UTC()
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	return out, nil
}

// GetOrg returns the organisation named name, or ErrNotFound.
func (s *Service) GetOrg(ctx context.Context, name string) (Org, error) {
	o := Org{Name: canon(name)}
	if !namePattern.MatchString(o.Name) {
		return Org{}, fmt.Errorf("organisation %q: %w", name, ErrNotFound)
	}
	err := s.db.SQL.QueryRowContext(ctx, `SELECT id, display, created_at FROM orgs WHERE name = $1`, o.Name).
		Scan(&o.ID, &o.Display, &o.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Org{}, fmt.Errorf("organisation %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Org{}, fmt.Errorf("organisation %q: %w", name, err)
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return o, nil
}
