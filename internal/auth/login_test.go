package auth_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestLoginAndSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, clk := fixture(t, db, auth.Options{SessionTTL: 3 * time.Hour, IdleTimeout: time.Hour})
		sess, p, err := s.Login(ctx, " Alice ", pw, "192.0.2.1:5555")
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "alice" || p.Org != "hotline" || p.Role != auth.HotlineAnalyst || !p.Authenticated() {
			t.Errorf("principal %+v", p)
		}
		if len(sess.ID) != 43 || len(sess.CSRF) != 43 || sess.ID == sess.CSRF {
			t.Errorf("session %+v", sess)
		}
		got, gs, err := s.SessionPrincipal(ctx, sess.ID)
		if err != nil || got != p || gs != sess {
			t.Fatalf("SessionPrincipal: %+v %+v %v", got, gs, err)
		}
		if !auth.CheckCSRF(gs, sess.CSRF) || auth.CheckCSRF(gs, sess.ID) || auth.CheckCSRF(auth.Session{}, "") {
			t.Error("CheckCSRF")
		}
		for _, bad := range []string{"", "x", sess.CSRF, sess.ID + "A", sess.ID[:42] + "!"} {
			if _, _, err := s.SessionPrincipal(ctx, bad); !errors.Is(err, auth.ErrNoSession) || !errors.Is(err, auth.ErrUnauthenticated) {
				t.Errorf("cookie %q: %v", bad, err)
			}
		}
		// Used every 50 minutes, the session lives until its absolute end.
		for range 3 {
			clk.Advance(50 * time.Minute)
			if _, _, err := s.SessionPrincipal(ctx, sess.ID); err != nil {
				t.Fatalf("active session ended: %v", err)
			}
		}
		clk.Advance(40 * time.Minute)
		if _, _, err := s.SessionPrincipal(ctx, sess.ID); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("session past its end: %v", err)
		}
		// Idle for an hour, it ends.
		sess, _, err = s.Login(ctx, "alice", pw, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		if _, _, err := s.SessionPrincipal(ctx, sess.ID); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("idle session: %v", err)
		}
		sess, _, err = s.Login(ctx, "alice", pw, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Logout(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, sess.ID); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("after logout: %v", err)
		}
		if err := s.Logout(ctx, sess.ID); err != nil {
			t.Errorf("second logout: %v", err)
		}
		if _, err := s.PurgeSessions(ctx); err != nil {
			t.Error(err)
		}
	})
}

func TestLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, clk := fixture(t, db, auth.Options{MaxFailures: 3, MaxAddrFailures: 10, FailureWindow: 10 * time.Minute, Lockout: 15 * time.Minute})
		fail := func(login, addr string) error {
			t.Helper()
			_, _, err := s.Login(ctx, login, "wrong password!", addr)
			return err
		}
		// A known and an unknown login fail and lock alike.
		for _, login := range []string{"alice", "nobody"} {
			for i := range 3 {
				if err := fail(login, fmt.Sprintf("192.0.2.%d", i)); !errors.Is(err, auth.ErrBadCredentials) {
					t.Fatalf("%s failure %d: %v", login, i, err)
				}
			}
			if err := fail(login, "192.0.2.9"); !errors.Is(err, auth.ErrLocked) {
				t.Errorf("%s after 3 failures: %v", login, err)
			}
		}
		if _, _, err := s.Login(ctx, "alice", pw, "198.51.100.1"); !errors.Is(err, auth.ErrLocked) {
			t.Errorf("right password while locked: %v", err)
		}
		clk.Advance(15 * time.Minute)
		if _, _, err := s.Login(ctx, "alice", pw, "198.51.100.1"); err != nil {
			t.Errorf("after the lockout: %v", err)
		}
		// Failures spread wider than the window never lock.
		for range 5 {
			if err := fail("alice", "198.51.100.1"); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("spread failures: %v", err)
			}
			clk.Advance(6 * time.Minute)
		}
		// A success resets the count.
		fail("bob", "198.51.100.2")
		fail("bob", "198.51.100.2")
		if _, _, err := s.Login(ctx, "bob", pw, "198.51.100.2"); err != nil {
			t.Fatal(err)
		}
		fail("bob", "198.51.100.2")
		if _, _, err := s.Login(ctx, "bob", pw, "198.51.100.2"); err != nil {
			t.Errorf("count not reset by success: %v", err)
		}
		// One address trying many logins is locked as an address; other
		// addresses of the same IPv6 /64 with it.
		clk.Advance(time.Hour)
		for i := range 10 {
			if err := fail(fmt.Sprintf("user%d", i), fmt.Sprintf("[2001:db8::%d]:443", i)); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("address failure %d: %v", i, err)
			}
		}
		if _, _, err := s.Login(ctx, "bob", pw, "2001:db8::ffff"); !errors.Is(err, auth.ErrLocked) {
			t.Errorf("locked address: %v", err)
		}
		if _, _, err := s.Login(ctx, "bob", pw, "2001:db9::1"); err != nil {
			t.Errorf("other address: %v", err)
		}
		// An administrator lifts a login's lockout.
		for range 3 {
			fail("alice", "203.0.113.1")
		}
		if err := s.Unlock(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Login(ctx, "alice", pw, "203.0.113.2"); err != nil {
			t.Errorf("after unlock: %v", err)
		}
	})
}

// TestLockoutParallel sends many guesses at once, through two services as
// two nodes would: no more than the limit get a password checked.
func TestLockoutParallel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		opt := auth.Options{MaxFailures: 5, MaxAddrFailures: 1000}
		s, clk := fixture(t, db, opt)
		opt.Hash, opt.Now = cheap, clk.Now
		nodes := []*auth.Service{s, auth.NewService(db, opt)}
		const guesses = 24
		errs := make(chan error, guesses)
		var wg sync.WaitGroup
		for i := range guesses {
			wg.Go(func() {
				_, _, err := nodes[i%2].Login(ctx, "alice", fmt.Sprintf("guess number %d", i), fmt.Sprintf("192.0.2.%d", i))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		counts := map[error]int{}
		for err := range errs {
			switch {
			case errors.Is(err, auth.ErrBadCredentials):
				counts[auth.ErrBadCredentials]++
			case errors.Is(err, auth.ErrLocked):
				counts[auth.ErrLocked]++
			default:
				t.Errorf("guess: %v", err)
			}
		}
		if counts[auth.ErrBadCredentials] != 5 || counts[auth.ErrLocked] != guesses-5 {
			t.Errorf("%d guesses checked, %d locked; want 5 checked", counts[auth.ErrBadCredentials], counts[auth.ErrLocked])
		}
	})
}

// TestLoginOddInput sends login names no account can have; they are wrong
// credentials, never a database error.
func TestLoginOddInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := fixture(t, db, auth.Options{})
		for _, login := range []string{"", "a\x00b", "\xff\xfe", strings.Repeat("a", 100000), "alice bob", "ALICE\x00"} {
			if _, _, err := s.Login(t.Context(), login, pw, "192.0.2.1"); !errors.Is(err, auth.ErrBadCredentials) {
				t.Errorf("login %.20q: %v", login, err)
			}
		}
		for _, name := range []string{"\xff", "a\x00"} {
			if _, err := s.GetUser(t.Context(), name); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("GetUser(%q): %v", name, err)
			}
			if err := s.Unlock(t.Context(), name); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("Unlock(%q): %v", name, err)
			}
			if err := s.DisableUser(t.Context(), name); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("DisableUser(%q): %v", name, err)
			}
			if _, _, err := s.CreateToken(t.Context(), name, "x", 0); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("CreateToken(%q): %v", name, err)
			}
		}
	})
}

func TestListOddOrg(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := fixture(t, db, auth.Options{})
		if u, err := s.ListUsers(t.Context(), "\xff\x00"); err != nil || len(u) != 0 {
			t.Errorf("ListUsers: %v %v", u, err)
		}
		if tk, err := s.ListTokens(t.Context(), "\xff\x00"); err != nil || len(tk) != 0 {
			t.Errorf("ListTokens: %v %v", tk, err)
		}
	})
}
