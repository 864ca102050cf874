package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Session is a logged-in browser's session.
type Session struct {
	// ID is the cookie value: 32 random bytes, base64url. Only its SHA-256
	// is stored, so a copy of the database opens no session.
	ID string
	// CSRF is the token a form must echo in field csrf_token or header
	// X-CSRF-Token (see CheckCSRF).
	CSRF string
	// Expires is the absolute end of the session; it also ends after
	// Options.IdleTimeout without use.
	Expires time.Time
}

// secretLen is the random bytes of session IDs, CSRF tokens and API
// tokens.
const secretLen = 32

var b64url = base64.RawURLEncoding.Strict()

func newSecret() []byte {
	b := make([]byte, secretLen)
	rand.Read(b) // never fails (Go 1.24+)
	return b
}

// parseSessionID decodes a cookie value; nil if it cannot be one.
func parseSessionID(v string) []byte {
	if len(v) != b64url.EncodedLen(secretLen) {
		return nil
	}
	b, err := b64url.DecodeString(v)
	if err != nil || len(b) != secretLen {
		return nil
	}
	return b
}

func (s *Service) newSession(ctx context.Context, userID int64, remote string) (Session, error) {
	secret := newSecret()
	sum := sha256.Sum256(secret)
	now := s.timestamp()
	sess := Session{ID: b64url.EncodeToString(secret), CSRF: b64url.EncodeToString(newSecret()), Expires: now.Add(s.opt.SessionTTL)}
	_, err := s.db.Exec(ctx, `INSERT INTO sessions (secret_hash, user_id, csrf, remote, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, sum[:], userID, sess.CSRF, remote, now, now, sess.Expires)
	if err != nil {
		return Session{}, fmt.Errorf("new session: %w", err)
	}
	return sess, nil
}

// touchEvery bounds how often a session's last use is written: idle
// timeouts are minutes long, and a write per request would be waste.
const touchEvery = time.Minute

// SessionPrincipal returns the principal and session of a session cookie
// value, or ErrNoSession (which wraps ErrUnauthenticated). It ends
// sessions found expired or idle, of a disabled user, or of a role the
// user's organisation may not hold. Principal.MustChangePassword is the
// user's flag: the server lets such a session only change the password
// and log out.
func (s *Service) SessionPrincipal(ctx context.Context, cookie string) (Principal, Session, error) {
	secret := parseSessionID(cookie)
	if secret == nil {
		return Anonymous, Session{}, ErrNoSession
	}
	sum := sha256.Sum256(secret)
	var (
		sessID     int64
		sess       = Session{ID: cookie}
		lastSeen   time.Time
		disabledAt sql.NullTime
		p          Principal
		role       string
		orgRoles   string
	)
	err := s.db.SQL.QueryRowContext(ctx, `SELECT s.id, s.csrf, s.expires_at, s.last_seen_at, u.id, u.login, u.org_id, o.name, u.role,
			u.must_change_password, u.disabled_at, o.roles
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id WHERE s.secret_hash = $1`, sum[:]).
		Scan(&sessID, &sess.CSRF, &sess.Expires, &lastSeen, &p.UserID, &p.Name, &p.OrgID, &p.Org, &role,
			&p.MustChangePassword, &disabledAt, &orgRoles)
	if errors.Is(err, sql.ErrNoRows) {
		return Anonymous, Session{}, ErrNoSession
	}
	if err != nil {
		return Anonymous, Session{}, fmt.Errorf("session: %w", err)
	}
	p.Role, sess.Expires = Role(role), sess.Expires.UTC()
	now := s.timestamp()
	// A role the organisation may no longer hold (changed in the database
	// behind SetOrgRoles's back) ends the session like a disabled user.
	allowed := (Org{Roles: parseStoredRoles(orgRoles)}).Allows(p.Role)
	if !now.Before(sess.Expires) || now.Sub(lastSeen) >= s.opt.IdleTimeout || disabledAt.Valid || !allowed {
		if _, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, sessID); err != nil {
			return Anonymous, Session{}, fmt.Errorf("end session: %w", err)
		}
		return Anonymous, Session{}, ErrNoSession
	}
	if now.Sub(lastSeen) >= touchEvery {
		if _, err := s.db.Exec(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, now, sessID); err != nil {
			return Anonymous, Session{}, fmt.Errorf("session: %w", err)
		}
	}
	return p, sess, nil
}

// Logout ends the session of a cookie value. Ending an unknown or ended
// session is not an error.
func (s *Service) Logout(ctx context.Context, cookie string) error {
	secret := parseSessionID(cookie)
	if secret == nil {
		return nil
	}
	sum := sha256.Sum256(secret)
	if _, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE secret_hash = $1`, sum[:]); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}

// PurgeSessions deletes the sessions that have expired or gone idle, and
// the failed-login counts that no longer count (window over, no lockout
// running), which would otherwise pile up with every name an attacker
// tries. It returns how many sessions it deleted. A server calls it now and
// then (hourly is plenty); correctness never depends on it.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	now := s.timestamp()
	res, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`, now, now.Add(-s.opt.IdleTimeout))
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM login_throttle WHERE window_start < $1 AND (locked_until IS NULL OR locked_until <= $2)`,
		now.Add(-s.opt.FailureWindow), now); err != nil {
		return 0, fmt.Errorf("purge login counts: %w", err)
	}
	return res.RowsAffected()
}

// CheckCSRF reports, in constant time, whether got is sess's CSRF token.
func CheckCSRF(sess Session, got string) bool {
	return sess.CSRF != "" && subtle.ConstantTimeCompare([]byte(sess.CSRF), []byte(got)) == 1
}
