package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/havenproject/haven/internal/store"
)

// User is a person's account: one role in one organisation.
type User struct {
	ID    int64
	Login string
	OrgID int64
	Org   string // the organisation's short name
	Role  Role
	// MustChangePassword is set when an administrator chose or generated
	// the password; the user's own ChangePassword clears it.
	MustChangePassword bool
	CreatedAt          time.Time
	PasswordChangedAt  time.Time
	// Disabled is when the account was disabled; zero while it is active.
	Disabled time.Time
}

// Principal returns the principal u authenticates as.
func (u User) Principal() Principal {
	return Principal{UserID: u.ID, Name: u.Login, OrgID: u.OrgID, Org: u.Org, Role: u.Role, MustChangePassword: u.MustChangePassword}
}

// CreateUser adds a user with role in the organisation named org. The
// password must pass CheckPassword; the user must change it at first
// login (it was chosen by whoever created the account). ErrExists if the
// login is taken, ErrNotFound if the organisation is unknown,
// ErrRoleNotAllowed if the organisation may not hold role.
func (s *Service) CreateUser(ctx context.Context, org, login string, role Role, password string) (User, error) {
	l, err := normName("login name", login)
	if err != nil {
		return User{}, err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return User{}, fmt.Errorf("create user %s: %w: %v", l, ErrInvalid, err)
	}
	if err := CheckPassword(password, l, s.opt.MinPasswordLength); err != nil {
		return User{}, fmt.Errorf("create user %s: %w", l, err)
	}
	o, err := s.GetOrg(ctx, org)
	if err != nil {
		return User{}, fmt.Errorf("create user %s: %w", l, err)
	}
	if !o.Allows(role) {
		// Checked again in the transaction; this spares the hash.
		return User{}, fmt.Errorf("create user %s: %w", l, roleNotAllowed(o.Name, role, o.Roles))
	}
	h, err := s.hash(ctx, password)
	if err != nil {
		return User{}, fmt.Errorf("create user %s: %w", l, err)
	}
	now := s.timestamp()
	u := User{Login: l, OrgID: o.ID, Org: o.Name, Role: role, MustChangePassword: true, CreatedAt: now, PasswordChangedAt: now}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkRoleIn(ctx, tx, o, role); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO users (org_id, login, role, password_hash, must_change_password, created_at, password_changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, u.OrgID, u.Login, string(u.Role), h, true, now, now).Scan(&u.ID)
	})
	if store.IsUniqueViolation(err) {
		return User{}, fmt.Errorf("create user %s: %w", l, ErrExists)
	}
	if err != nil {
		return User{}, fmt.Errorf("create user %s: %w", l, err)
	}
	return u, nil
}

const userColumns = `u.id, u.login, u.org_id, o.name, u.role, u.must_change_password, u.created_at, u.password_changed_at, u.disabled_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanUser(r rowScanner, extra ...any) (User, error) {
	var (
		u        User
		role     string
		disabled sql.NullTime
	)
	dest := append([]any{&u.ID, &u.Login, &u.OrgID, &u.Org, &role, &u.MustChangePassword, &u.CreatedAt, &u.PasswordChangedAt, &disabled}, extra...)
	if err := r.Scan(dest...); err != nil {
		return User{}, err
	}
	u.Role = Role(role)
	u.CreatedAt, u.PasswordChangedAt = u.CreatedAt.UTC(), u.PasswordChangedAt.UTC()
	if disabled.Valid {
		u.Disabled = disabled.Time.UTC()
	}
	return u, nil
}

// ListUsers returns the users of the organisation named org (every user
// when org is ""), by login.
func (s *Service) ListUsers(ctx context.Context, org string) ([]User, error) {
	if org != "" && !namePattern.MatchString(canon(org)) {
		return nil, nil // no organisation has that name
	}
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT `+userColumns+` FROM users u JOIN orgs o ON o.id = u.org_id
		WHERE $1 = '' OR o.name = $1 ORDER BY u.login`, canon(org))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// GetUser returns the user with login name login, or ErrNotFound.
func (s *Service) GetUser(ctx context.Context, login string) (User, error) {
	u, _, err := s.userByLogin(ctx, login)
	return u, err
}

// userByLogin returns the user and their password hash.
func (s *Service) userByLogin(ctx context.Context, login string) (User, string, error) {
	login = canon(login)
	if !namePattern.MatchString(login) {
		return User{}, "", fmt.Errorf("user %q: %w", login, ErrNotFound)
	}
	var h string
	u, err := scanUser(s.db.SQL.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash
		FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.login = $1`, login), &h)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, "", fmt.Errorf("user %q: %w", login, ErrNotFound)
	}
	if err != nil {
		return User{}, "", fmt.Errorf("user %q: %w", login, err)
	}
	return u, h, nil
}

// SetPassword sets a user's password as an administrator: the user must
// change it at next login. It ends the user's sessions and lifts a
// lockout of the login name.
func (s *Service) SetPassword(ctx context.Context, login, password string) error {
	return s.setPassword(ctx, login, password, true)
}

// ChangePassword is the user's own change: old must be the current
// password (ErrBadCredentials otherwise). Wrong old passwords count against
// the login name's failed logins, so someone holding a stolen session
// cannot guess the password here faster than at the login form: at the
// limit the name is locked (ErrLocked) for logins and changes alike. A new
// password that CheckPassword refuses is not counted. It ends the user's
// sessions, so the caller logs in again.
func (s *Service) ChangePassword(ctx context.Context, login, old, password string) error {
	login = canon(login)
	if err := CheckPassword(password, login, s.opt.MinPasswordLength); err != nil {
		return fmt.Errorf("change password of %s: %w", login, err)
	}
	_, h, err := s.userByLogin(ctx, login)
	if err != nil {
		return err
	}
	// Counted before the check, like a login, so that parallel attempts
	// cannot pass the limit; setPassword clears the count on success.
	if err := s.countAttempt(ctx, []throttleKey{{loginKey(login), s.opt.MaxFailures}}); err != nil {
		return fmt.Errorf("change password of %s: %w", login, err)
	}
	ok, err := s.verify(ctx, old, h)
	if err != nil {
		return fmt.Errorf("change password of %s: %w", login, err)
	}
	if !ok {
		return fmt.Errorf("change password of %s: %w", login, ErrBadCredentials)
	}
	return s.setPassword(ctx, login, password, false)
}

func (s *Service) setPassword(ctx context.Context, login, password string, mustChange bool) error {
	login = canon(login)
	if err := CheckPassword(password, login, s.opt.MinPasswordLength); err != nil {
		return fmt.Errorf("set password of %s: %w", login, err)
	}
	h, err := s.hash(ctx, password)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", login, err)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := updateUser(ctx, tx, login, `UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = $4
			WHERE login = $1 RETURNING id`, h, mustChange, s.timestamp())
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, loginKey(login))
		return err
	})
	if err != nil {
		return fmt.Errorf("set password of %s: %w", login, err)
	}
	return nil
}

// DisableUser disables an account and ends its sessions; EnableUser
// re-enables it. Both are idempotent; ErrNotFound for an unknown login.
func (s *Service) DisableUser(ctx context.Context, login string) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := updateUser(ctx, tx, login, `UPDATE users SET disabled_at = COALESCE(disabled_at, $2) WHERE login = $1 RETURNING id`, s.timestamp())
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("disable user %s: %w", login, err)
	}
	return nil
}

// EnableUser re-enables a disabled account.
func (s *Service) EnableUser(ctx context.Context, login string) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := updateUser(ctx, tx, login, `UPDATE users SET disabled_at = NULL WHERE login = $1 RETURNING id`)
		return err
	})
	if err != nil {
		return fmt.Errorf("enable user %s: %w", login, err)
	}
	return nil
}

// updateUser runs an UPDATE ... WHERE login = $1 RETURNING id.
func updateUser(ctx context.Context, tx *sql.Tx, login, query string, args ...any) (int64, error) {
	if !namePattern.MatchString(canon(login)) {
		return 0, ErrNotFound
	}
	var id int64
	err := tx.QueryRowContext(ctx, query, append([]any{canon(login)}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return id, err
}
