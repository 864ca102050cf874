package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/havenproject/haven/internal/store"
)

// ErrRoleNotAllowed refuses a user, token or role change with a role that
// the organisation may not hold (see Org.Roles and SetOrgRoles).
var ErrRoleNotAllowed = errors.New("role not allowed in this organisation")

// ErrRoleInUse refuses to take a role away from an organisation while
// active users or live tokens of it hold the role.
var ErrRoleInUse = errors.New("role still held by active users or tokens")

// lockOrg reads the roles of the organisation with id within tx, locking
// its row on PostgreSQL against a concurrent SetOrgRoles (SQLite's one
// writer serialises the transactions anyway).
func (s *Service) lockOrg(ctx context.Context, tx *sql.Tx, id int64) ([]Role, error) {
	lock := ""
	if s.db.Dialect == store.Postgres {
		lock = " FOR UPDATE"
	}
	var roles string
	if err := tx.QueryRowContext(ctx, `SELECT roles FROM orgs WHERE id = $1`+lock, id).Scan(&roles); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	return parseStoredRoles(roles), nil
}

// roleNotAllowed is the error for role in an organisation that allows only
// allowed.
func roleNotAllowed(org string, role Role, allowed []Role) error {
	may := FormatRoles(allowed)
	if may == "" {
		may = "none"
	}
	return fmt.Errorf("%w: organisation %s may hold %s, not %s (the operator changes this with haven admin set-org-roles)",
		ErrRoleNotAllowed, org, may, role)
}

// checkRoleIn refuses role unless the organisation (read and locked in
// tx) allows it.
func (s *Service) checkRoleIn(ctx context.Context, tx *sql.Tx, o Org, role Role) error {
	allowed, err := s.lockOrg(ctx, tx, o.ID)
	if err != nil {
		return err
	}
	if !(Org{Roles: allowed}).Allows(role) {
		return roleNotAllowed(o.Name, role, allowed)
	}
	return nil
}

// SetOrgRoles sets the roles the organisation named org may hold (the
// operator's decision). It refuses with ErrRoleInUse to take away a role
// that an active user or an unrevoked, unexpired token of the organisation
// holds, naming them: disable or revoke those first, or change the user's
// role with SetUserRole.
func (s *Service) SetOrgRoles(ctx context.Context, org string, roles []Role) (Org, error) {
	for _, r := range roles {
		if _, err := ParseRole(string(r)); err != nil {
			return Org{}, fmt.Errorf("set roles of %s: %w: %v", org, ErrInvalid, err)
		}
	}
	o, err := s.GetOrg(ctx, org)
	if err != nil {
		return Org{}, fmt.Errorf("set roles: %w", err)
	}
	o.Roles = canonRoles(roles)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.lockOrg(ctx, tx, o.ID); err != nil {
			return err
		}
		holders, err := s.holders(ctx, tx, o)
		if err != nil {
			return err
		}
		if len(holders) > 0 {
			return fmt.Errorf("%w: %s", ErrRoleInUse, strings.Join(holders, ", "))
		}
		_, err = tx.ExecContext(ctx, `UPDATE orgs SET roles = $1 WHERE id = $2`, FormatRoles(o.Roles), o.ID)
		return err
	})
	if err != nil {
		return Org{}, fmt.Errorf("set roles of %s: %w", o.Name, err)
	}
	return o, nil
}

// holders names the active users and live tokens of o whose role o.Roles
// does not include (at most 10, then "…").
func (s *Service) holders(ctx context.Context, tx *sql.Tx, o Org) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT 'user ' || login, role FROM users WHERE org_id = $1 AND disabled_at IS NULL
		UNION ALL
		SELECT 'token ' || name, role FROM api_tokens WHERE org_id = $1 AND revoked_at IS NULL AND expires_at > $2
		ORDER BY 1`, o.ID, s.timestamp())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var who, role string
		if err := rows.Scan(&who, &role); err != nil {
			return nil, err
		}
		if o.Allows(Role(role)) {
			continue
		}
		if len(out) == 10 {
			out = append(out, "…")
			break
		}
		out = append(out, fmt.Sprintf("%s (%s)", who, role))
	}
	return out, rows.Err()
}

// SetUserRole changes a user's role within their organisation, which must
// allow it (ErrRoleNotAllowed). The user's sessions end, so that the new
// role starts with a new login.
func (s *Service) SetUserRole(ctx context.Context, login string, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return fmt.Errorf("set role of %s: %w: %v", login, ErrInvalid, err)
	}
	u, err := s.GetUser(ctx, login)
	if err != nil {
		return fmt.Errorf("set role: %w", err)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkRoleIn(ctx, tx, Org{ID: u.OrgID, Name: u.Org}, role); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $1 WHERE id = $2`, string(role), u.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("set role of %s: %w", u.Login, err)
	}
	return nil
}
