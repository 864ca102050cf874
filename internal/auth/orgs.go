package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	// Roles are the roles the organisation's users and API tokens may
	// hold, in the order of Roles; none when empty. They bound what an
	// organisation's own administrator can hand out: a platform's admin
	// cannot make a victim_id user or an investigator token.
	Roles []Role
}

// Allows reports whether the organisation's users and tokens may hold r.
func (o Org) Allows(r Role) bool { return slices.Contains(o.Roles, r) }

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

// CreateOrg adds an organisation whose users and tokens may hold roles:
// none when roles is empty (fail closed; such an organisation has no
// accounts until SetOrgRoles allows some). name is lowercased; ErrExists
// if taken, ErrInvalid for an unknown role.
func (s *Service) CreateOrg(ctx context.Context, name, display string, roles ...Role) (Org, error) {
	n, err := normName("organisation name", name)
	if err != nil {
		return Org{}, err
	}
	for _, r := range roles {
		if _, err := ParseRole(string(r)); err != nil {
			return Org{}, fmt.Errorf("create organisation %s: %w: %v", n, ErrInvalid, err)
		}
	}
	o := Org{Name: n, Display: strings.TrimSpace(display), CreatedAt: s.timestamp(), Roles: canonRoles(roles)}
	if o.Display == "" {
		o.Display = n
	}
	if err := checkText("display name", o.Display, 200); err != nil {
		return Org{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO orgs (name, display, created_at, roles) VALUES ($1, $2, $3, $4) RETURNING id`,
			o.Name, o.Display, o.CreatedAt, FormatRoles(o.Roles)).Scan(&o.ID)
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
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT id, name, display, created_at, roles FROM orgs ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	var out []Org
	for rows.Next() {
		var (
			o     Org
			roles string
		)
		if err := rows.Scan(&o.ID, &o.Name, &o.Display, &o.CreatedAt, &roles); err != nil {
			return nil, fmt.Errorf("list organisations: %w", err)
		}
		o.CreatedAt, o.Roles = o.CreatedAt.UTC(), parseStoredRoles(roles)
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
	var roles string
	err := s.db.SQL.QueryRowContext(ctx, `SELECT id, display, created_at, roles FROM orgs WHERE name = $1`, o.Name).
		Scan(&o.ID, &o.Display, &o.CreatedAt, &roles)
	if errors.Is(err, sql.ErrNoRows) {
		return Org{}, fmt.Errorf("organisation %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Org{}, fmt.Errorf("organisation %q: %w", name, err)
	}
	o.CreatedAt, o.Roles = o.CreatedAt.UTC(), parseStoredRoles(roles)
	return o, nil
}
