package auth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestOrgsAndUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, _ := fixture(t, db, auth.Options{})
		if _, err := s.CreateOrg(ctx, "Hotline", "again"); !errors.Is(err, auth.ErrExists) {
			t.Errorf("duplicate org: %v", err)
		}
		if _, err := s.CreateOrg(ctx, "bad name", ""); !errors.Is(err, auth.ErrInvalid) {
			t.Errorf("bad org name: %v", err)
		}
		for _, display := range []string{"a\x00b", "\xff", "line\nbreak", strings.Repeat("x", 201)} {
			if _, err := s.CreateOrg(ctx, "odd", display); !errors.Is(err, auth.ErrInvalid) {
				t.Errorf("display %.20q: %v", display, err)
			}
		}
		orgs, err := s.ListOrgs(ctx)
		if err != nil || len(orgs) != 2 || orgs[0].Name != "hotline" || orgs[0].Display != "hotline" {
			t.Fatalf("orgs: %+v, %v", orgs, err)
		}
		tests := []struct {
			name, org, login string
			role             auth.Role
			password         string
			want             error
		}{
			{"taken login, other case", "hotline", "ALICE", auth.Monitor, pw, auth.ErrExists},
			{"unknown org", "nobody", "carol", auth.Monitor, pw, auth.ErrNotFound},
			{"unknown role", "hotline", "carol", "root", pw, auth.ErrInvalid},
			{"short password", "hotline", "carol", auth.Monitor, "short", auth.ErrWeakPassword},
			{"password is login", "hotline", "carol-the-monitor", auth.Monitor, "Carol-The-Monitor", auth.ErrWeakPassword},
			{"bad login", "hotline", "carol smith", auth.Monitor, pw, auth.ErrInvalid},
		}
		for _, tc := range tests {
			if _, err := s.CreateUser(ctx, tc.org, tc.login, tc.role, tc.password); !errors.Is(err, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			}
		}
		users, err := s.ListUsers(ctx, "hotline")
		if err != nil || len(users) != 1 || users[0].Login != "alice" || users[0].Role != auth.HotlineAnalyst ||
			users[0].Org != "hotline" || !users[0].MustChangePassword {
			t.Fatalf("users of hotline: %+v, %v", users, err)
		}
		if all, err := s.ListUsers(ctx, ""); err != nil || len(all) != 2 {
			t.Fatalf("all users: %+v, %v", all, err)
		}
		if err := s.DisableUser(ctx, "nobody"); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("disable unknown: %v", err)
		}
		if err := s.SetPassword(ctx, "nobody", pw); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("set password of unknown: %v", err)
		}
	})
}

func TestPasswordChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, _ := fixture(t, db, auth.Options{})
		sess, _, err := s.Login(ctx, "alice", pw, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		const next = "a much longer passphrase"
		if err := s.ChangePassword(ctx, "alice", "wrong password!", next); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("change with wrong old password: %v", err)
		}
		if err := s.ChangePassword(ctx, "alice", pw, next); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, sess.ID); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("session survived a password change: %v", err)
		}
		if u, err := s.GetUser(ctx, "alice"); err != nil || u.MustChangePassword {
			t.Errorf("after own change: %+v, %v", u, err)
		}
		if _, _, err := s.Login(ctx, "alice", pw, "192.0.2.1"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("old password: %v", err)
		}
		if err := s.SetPassword(ctx, "Alice", pw); err != nil {
			t.Fatal(err)
		}
		if u, err := s.GetUser(ctx, "alice"); err != nil || !u.MustChangePassword {
			t.Errorf("after admin reset: %+v, %v", u, err)
		}
		if _, _, err := s.Login(ctx, "alice", pw, "192.0.2.1"); err != nil {
			t.Errorf("reset password: %v", err)
		}
	})
}

func TestDisableUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, _ := fixture(t, db, auth.Options{})
		sess, _, err := s.Login(ctx, "alice", pw, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // idempotent
			if err := s.DisableUser(ctx, "alice"); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := s.SessionPrincipal(ctx, sess.ID); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("session of disabled user: %v", err)
		}
		if _, _, err := s.Login(ctx, "alice", pw, "192.0.2.1"); !errors.Is(err, auth.ErrDisabled) {
			t.Errorf("login of disabled user: %v", err)
		}
		if _, _, err := s.Login(ctx, "alice", "wrong password!", "192.0.2.1"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("wrong password of disabled user: %v", err)
		}
		if u, _ := s.GetUser(ctx, "alice"); u.Disabled.IsZero() {
			t.Error("Disabled not set")
		}
		if err := s.EnableUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Login(ctx, "alice", pw, "192.0.2.1"); err != nil {
			t.Errorf("login after enable: %v", err)
		}
	})
}
