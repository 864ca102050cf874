package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/store"
)

// canon is the form in which login and organisation names are stored.
func canon(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// loginKey and addrKey name the throttle rows of a login name and of a
// remote address.
func loginKey(login string) string { return "login:" + canon(login) }

// addrKey keys a remote address ("ip" or "ip:port") by the network an
// attacker controls as a unit: the IPv4 address, the IPv6 /64.
func addrKey(remote string) string {
	host := remote
	if h, _, err := net.SplitHostPort(remote); err == nil {
		host = h
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		// Not from net/http's RemoteAddr; one key for all such.
		return "addr:unknown"
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.WithZone("").Prefix(64)
		return "addr:" + p.String()
	}
	return "addr:" + a.String()
}

// Login checks a login name and password from remote (the client's
// address, "ip" or "ip:port") and opens a session. It fails with
// ErrBadCredentials for an unknown login or a wrong password alike, taking
// about as long either way; with ErrLocked while the login name or the
// address is locked out after too many failures (whether or not the login
// exists); with ErrDisabled for the right password of a disabled account
// or of one whose role its organisation may no longer hold (that error
// also matches ErrRoleNotAllowed).
func (s *Service) Login(ctx context.Context, login, password, remote string) (Session, Principal, error) {
	login = canon(login)
	if !namePattern.MatchString(login) {
		// No account can have this name: refuse it as any wrong login,
		// without storing what may not even be text.
		s.verify(ctx, password, s.dummyHash())
		return Session{}, Anonymous, ErrBadCredentials
	}
	keys := []throttleKey{{loginKey(login), s.opt.MaxFailures}, {addrKey(remote), s.opt.MaxAddrFailures}}
	// The attempt counts as a failure before the password is checked, so
	// that parallel attempts cannot all pass the limit at once; a success
	// takes it back.
	if err := s.countAttempt(ctx, keys); err != nil {
		return Session{}, Anonymous, err
	}
	u, h, err := s.userByLogin(ctx, login)
	known := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Session{}, Anonymous, fmt.Errorf("login: %w", err)
	}
	if !known {
		h = s.dummyHash()
	}
	ok, err := s.verify(ctx, password, h)
	if err != nil {
		return Session{}, Anonymous, fmt.Errorf("login %s: %w", login, err)
	}
	if !ok || !known {
		return Session{}, Anonymous, ErrBadCredentials
	}
	if !u.Disabled.IsZero() {
		return Session{}, Anonymous, ErrDisabled
	}
	if err := s.checkRoleHeld(ctx, u); err != nil {
		return Session{}, Anonymous, err
	}
	if err := s.uncountAttempt(ctx, keys); err != nil {
		return Session{}, Anonymous, fmt.Errorf("login: %w", err)
	}
	s.rehashIfOutdated(ctx, login, password, h)
	sess, err := s.newSession(ctx, u.ID, remote)
	if err != nil {
		return Session{}, Anonymous, fmt.Errorf("login %s: %w", login, err)
	}
	return sess, u.Principal(), nil
}

// rehashIfOutdated stores a fresh hash when the parameters have changed
// since the password was set. Failure only delays the upgrade.
func (s *Service) rehashIfOutdated(ctx context.Context, login, password, encoded string) {
	h, err := ParsePHC(encoded)
	if err != nil || h.Params == s.opt.Hash {
		return
	}
	fresh, err := s.hash(ctx, password)
	if err != nil {
		return
	}
	s.db.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE login = $2 AND password_hash = $3`, fresh, login, encoded)
}

type throttleKey struct {
	key   string
	limit int
}

// countAttempt counts a login attempt against each key, in one
// transaction, or returns ErrLocked if a key is locked out. A key that
// reaches its limit within FailureWindow is locked for Lockout after this
// attempt. Keys are locked in the order given (login name, then address)
// on PostgreSQL, so concurrent attempts on several nodes count exactly and
// cannot deadlock.
func (s *Service) countAttempt(ctx context.Context, keys []throttleKey) error {
	now := s.timestamp()
	lock := ""
	if s.db.Dialect == store.Postgres {
		lock = " FOR UPDATE"
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		type state struct {
			n     int
			start time.Time
			until sql.NullTime
		}
		states := make([]state, len(keys))
		for i, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 0, $2)
				ON CONFLICT (key) DO NOTHING`, k.key, now); err != nil {
				return err
			}
			st := &states[i]
			if err := tx.QueryRowContext(ctx, `SELECT failures, window_start, locked_until FROM login_throttle WHERE key = $1`+lock, k.key).
				Scan(&st.n, &st.start, &st.until); err != nil {
				return err
			}
			if st.until.Valid && now.Before(st.until.Time) {
				return ErrLocked
			}
		}
		for i, k := range keys {
			st := states[i]
			if now.Sub(st.start) > s.opt.FailureWindow {
				st.n, st.start = 0, now
			}
			st.n++
			st.until = sql.NullTime{}
			if st.n >= k.limit {
				// Locked: the count starts again when the lockout ends.
				st.until = sql.NullTime{Time: now.Add(s.opt.Lockout), Valid: true}
				st.n, st.start = 0, now.Add(s.opt.Lockout)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE login_throttle SET failures = $2, window_start = $3, locked_until = $4 WHERE key = $1`,
				k.key, st.n, st.start, st.until); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrLocked) {
		return fmt.Errorf("login throttle: %w", err)
	}
	return err
}

// uncountAttempt takes a successful attempt back: the login name's count
// starts again, the address's loses this attempt.
func (s *Service) uncountAttempt(ctx context.Context, keys []throttleKey) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, keys[0].key); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0`, keys[1].key)
		return err
	})
}

func (s *Service) clearThrottle(ctx context.Context, key string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM login_throttle WHERE key = $1`, key)
	return err
}

// Unlock lifts a lockout of a login name (an administrator's action). A
// name that is not locked is not an error; one no account can have is
// ErrNotFound.
func (s *Service) Unlock(ctx context.Context, login string) error {
	if !namePattern.MatchString(canon(login)) {
		return fmt.Errorf("unlock %q: %w", login, ErrNotFound)
	}
	if err := s.clearThrottle(ctx, loginKey(login)); err != nil {
		return fmt.Errorf("unlock %s: %w", login, err)
	}
	return nil
}

// checkRoleHeld refuses, as a disabled account, a user whose role the
// organisation no longer allows.
func (s *Service) checkRoleHeld(ctx context.Context, u User) error {
	o, err := s.GetOrg(ctx, u.Org)
	if err != nil {
		return fmt.Errorf("login %s: %w", u.Login, err)
	}
	if !o.Allows(u.Role) {
		return fmt.Errorf("%w: %w", ErrDisabled, roleNotAllowed(o.Name, u.Role, o.Roles))
	}
	return nil
}

// InvalidLoginName is what LoginActor records instead of a login name
// that no account can have; UnknownLoginName is what
// (*Service).LoginActorFor records instead of one that no account has.
const (
	InvalidLoginName = "invalid-name"
	UnknownLoginName = "unknown-name"
)

// LoginActor is the audit actor of a login attempt with login name login:
// the name as accounts store it when it can be one, else
// InvalidLoginName. What someone typed into the name field is often a
// password (typed one field too early); the names no account can have are
// kept out of the trail. A password that looks like a login name cannot be
// told apart here.
func LoginActor(login string) string {
	if n := canon(login); namePattern.MatchString(n) {
		return n
	}
	return InvalidLoginName
}

// LoginActorFor is LoginActor that also keeps out names no account has:
// it returns the login name only when an account has it, else
// UnknownLoginName (InvalidLoginName for names no account can have, and
// when the database cannot say). Many passwords look like login names
// ("sunshine2024"); one typed into the name field matches an account only
// if it is some user's login name. Attempts on names that do not exist
// are still recorded, with their remote address, under the placeholder.
func (s *Service) LoginActorFor(ctx context.Context, login string) string {
	n := LoginActor(login)
	if n == InvalidLoginName {
		return n
	}
	var one int
	err := s.db.SQL.QueryRowContext(ctx, `SELECT 1 FROM users WHERE login = $1`, n).Scan(&one)
	switch {
	case err == nil:
		return n
	case errors.Is(err, sql.ErrNoRows):
		return UnknownLoginName
	}
	return InvalidLoginName
}
