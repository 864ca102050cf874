package auth_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestOrgRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, _ := fixture(t, db, auth.Options{TokenCacheTTL: -1})
		o, err := s.GetOrg(ctx, "hotline")
		if err != nil || !slices.Equal(o.Roles, []auth.Role{auth.HotlineAnalyst, auth.Monitor}) {
			t.Fatalf("hotline: %+v %v", o, err)
		}
		// The closed hole: a platform's administrator hands out case roles.
		refused := []struct {
			org  string
			role auth.Role
		}{
			{"platform-a", auth.VictimID}, {"platform-a", auth.Investigator}, {"hotline", auth.Admin}, {"hotline", auth.Partner},
		}
		for _, tc := range refused {
			if _, err := s.CreateUser(ctx, tc.org, "carol", tc.role, pw); !errors.Is(err, auth.ErrRoleNotAllowed) {
				t.Errorf("user %s in %s: %v", tc.role, tc.org, err)
			}
			if _, _, err := s.CreateTokenFor(ctx, auth.TokenSpec{Org: tc.org, Name: "x", Role: tc.role}); !errors.Is(err, auth.ErrRoleNotAllowed) {
				t.Errorf("token %s in %s: %v", tc.role, tc.org, err)
			}
		}
		if _, _, err := s.CreateToken(ctx, "hotline", "x", 0); !errors.Is(err, auth.ErrRoleNotAllowed) {
			t.Errorf("partner token in hotline: %v", err)
		}
		// An organisation created without roles has no accounts.
		if o, err := s.CreateOrg(ctx, "bare", ""); err != nil || len(o.Roles) != 0 {
			t.Fatalf("org without roles: %+v %v", o, err)
		}
		if _, err := s.CreateUser(ctx, "bare", "carol", auth.Monitor, pw); !errors.Is(err, auth.ErrRoleNotAllowed) ||
			!strings.Contains(err.Error(), "set-org-roles") {
			t.Errorf("user in an org without roles: %v", err)
		}
		if _, err := s.CreateOrg(ctx, "odd", "", "root"); !errors.Is(err, auth.ErrInvalid) {
			t.Errorf("unknown role: %v", err)
		}
		// Widening is always possible; narrowing only once no one holds the role.
		if o, err = s.SetOrgRoles(ctx, "hotline", []auth.Role{auth.Monitor, auth.Investigator, auth.HotlineAnalyst, auth.Monitor}); err != nil ||
			!slices.Equal(o.Roles, []auth.Role{auth.Investigator, auth.HotlineAnalyst, auth.Monitor}) {
			t.Fatalf("widen: %+v %v", o, err)
		}
		if _, err := s.CreateUser(ctx, "hotline", "ivan", auth.Investigator, pw); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetOrgRoles(ctx, "hotline", []auth.Role{auth.Monitor}); !errors.Is(err, auth.ErrRoleInUse) ||
			!strings.Contains(err.Error(), "user alice (hotline_analyst)") || !strings.Contains(err.Error(), "user ivan (investigator)") {
			t.Errorf("narrow while held: %v", err)
		}
		if _, err := s.SetOrgRoles(ctx, "nobody", nil); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("unknown org: %v", err)
		}
		if _, err := s.SetOrgRoles(ctx, "hotline", []auth.Role{"root"}); !errors.Is(err, auth.ErrInvalid) {
			t.Errorf("unknown role: %v", err)
		}
		// A role change stays within the organisation's roles.
		if err := s.SetUserRole(ctx, "ivan", auth.VictimID); !errors.Is(err, auth.ErrRoleNotAllowed) {
			t.Errorf("role change to a role not allowed: %v", err)
		}
		sess, _, err := s.Login(ctx, "ivan", pw, "192.0.2.7")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserRole(ctx, "ivan", auth.Monitor); err != nil {
			t.Fatal(err)
		}
		if u, err := s.GetUser(ctx, "ivan"); err != nil || u.Role != auth.Monitor {
			t.Errorf("after role change: %+v %v", u, err)
		}
		if _, _, err := s.SessionPrincipal(ctx, sess.ID); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("session after role change: %v", err)
		}
		if err := s.DisableUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetOrgRoles(ctx, "hotline", []auth.Role{auth.Monitor}); err != nil {
			t.Fatalf("narrow after disabling: %v", err)
		}
		// Re-enabled, alice's role is still not allowed: her login is refused
		// like a disabled account's, and only after the right password.
		if err := s.EnableUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Login(ctx, "alice", pw, "192.0.2.7"); !errors.Is(err, auth.ErrDisabled) || !errors.Is(err, auth.ErrRoleNotAllowed) {
			t.Errorf("login with a role no longer allowed: %v", err)
		}
		if _, _, err := s.Login(ctx, "alice", "wrong password!", "192.0.2.7"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("wrong password: %v", err)
		}
	})
}

// TestOrgRolesChangedBehind checks that sessions and tokens whose role the
// organisation no longer allows stop working, even when the roles were
// changed in the database directly.
func TestOrgRolesChangedBehind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, _ := fixture(t, db, auth.Options{TokenCacheTTL: -1})
		sess, _, err := s.Login(ctx, "bob", pw, "192.0.2.8")
		if err != nil {
			t.Fatal(err)
		}
		plain, _, err := s.CreateToken(ctx, "platform-a", "scanner", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenPrincipal(ctx, plain); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, `UPDATE orgs SET roles = $1 WHERE name = $2`, "monitor,nonsense", "platform-a"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, sess.ID); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("session: %v", err)
		}
		if _, err := s.TokenPrincipal(ctx, plain); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("token: %v", err)
		}
		if o, err := s.GetOrg(ctx, "platform-a"); err != nil || !slices.Equal(o.Roles, []auth.Role{auth.Monitor}) {
			t.Errorf("unknown stored role: %+v %v", o, err)
		}
	})
}

// TestOrgRolesMigration runs migration 00031's Up section again on a
// database whose orgs have lost the column: each organisation gets the
// roles of its active users and unrevoked tokens.
func TestOrgRolesMigration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, _ := fixture(t, db, auth.Options{})
		if _, err := s.SetOrgRoles(ctx, "hotline", auth.Roles); err != nil {
			t.Fatal(err)
		}
		for _, u := range []struct {
			login string
			role  auth.Role
		}{{"ivan", auth.Investigator}, {"vera", auth.VictimID}} {
			if _, err := s.CreateUser(ctx, "hotline", u.login, u.role, pw); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DisableUser(ctx, "vera"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CreateTokenFor(ctx, auth.TokenSpec{Org: "hotline", Name: "mon", Role: auth.Monitor}); err != nil {
			t.Fatal(err)
		}
		_, gone, err := s.CreateTokenFor(ctx, auth.TokenSpec{Org: "hotline", Name: "pt", Role: auth.Partner})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateOrg(ctx, "empty", "", auth.Monitor); err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile("../store/migrations/" + string(db.Dialect) + "/00031_org_roles.sql")
		if err != nil {
			t.Fatal(err)
		}
		up, _, _ := strings.Cut(string(src), "-- +goose Down")
		_, up, _ = strings.Cut(up, "-- +goose Up")
		if _, err := db.Exec(ctx, `ALTER TABLE orgs DROP COLUMN roles`); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range strings.Split(up, ";") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := db.Exec(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		want := map[string][]auth.Role{
			"hotline":    {auth.Investigator, auth.HotlineAnalyst, auth.Monitor},
			"platform-a": {auth.Admin}, // allowed partner, but no one held it
			"empty":      {},
		}
		orgs, err := s.ListOrgs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orgs {
			if !slices.Equal(o.Roles, want[o.Name]) {
				t.Errorf("%s: roles %v, want %v", o.Name, o.Roles, want[o.Name])
			}
		}
	})
}

func TestMustChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, _ := fixture(t, db, auth.Options{})
		sess, p, err := s.Login(ctx, "alice", pw, "192.0.2.9")
		if err != nil || !p.MustChangePassword {
			t.Fatalf("login of a new user: %+v %v", p, err)
		}
		if p, _, err := s.SessionPrincipal(ctx, sess.ID); err != nil || !p.MustChangePassword {
			t.Errorf("session of a new user: %+v %v", p, err)
		}
		const fresh = "a fresh password of mine"
		if err := s.ChangePassword(ctx, "alice", pw, fresh); err != nil {
			t.Fatal(err)
		}
		sess, p, err = s.Login(ctx, "alice", fresh, "192.0.2.9")
		if err != nil || p.MustChangePassword {
			t.Fatalf("login after the change: %+v %v", p, err)
		}
		if p, _, err := s.SessionPrincipal(ctx, sess.ID); err != nil || p.MustChangePassword {
			t.Errorf("session after the change: %+v %v", p, err)
		}
		if err := s.SetPassword(ctx, "alice", "set by the admin 1"); err != nil {
			t.Fatal(err)
		}
		if _, p, err := s.Login(ctx, "alice", "set by the admin 1", "192.0.2.9"); err != nil || !p.MustChangePassword {
			t.Errorf("login after a reset: %+v %v", p, err)
		}
	})
}

func TestChangePasswordLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, clk := fixture(t, db, auth.Options{MaxFailures: 3, Lockout: 10 * time.Minute})
		const fresh = "a fresh password of mine"
		// A weak new password is refused before the old one is checked,
		// and not counted.
		for range 5 {
			if err := s.ChangePassword(ctx, "alice", "guess guess guess", "short"); !errors.Is(err, auth.ErrWeakPassword) {
				t.Fatalf("weak: %v", err)
			}
		}
		for i := range 3 {
			if err := s.ChangePassword(ctx, "alice", "guess guess guess", fresh); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if err := s.ChangePassword(ctx, "alice", pw, fresh); !errors.Is(err, auth.ErrLocked) {
			t.Errorf("right password while locked: %v", err)
		}
		if _, _, err := s.Login(ctx, "alice", pw, "192.0.2.10"); !errors.Is(err, auth.ErrLocked) {
			t.Errorf("login while locked: %v", err)
		}
		clk.Advance(11 * time.Minute)
		if err := s.ChangePassword(ctx, "alice", pw, fresh); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
		// A success clears the count: two more failures do not lock.
		for range 2 {
			if err := s.ChangePassword(ctx, "alice", "guess guess guess", pw); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatal(err)
			}
		}
		if _, _, err := s.Login(ctx, "alice", fresh, "192.0.2.10"); err != nil {
			t.Errorf("login: %v", err)
		}
	})
}

func TestLoginActor(t *testing.T) {
	for in, want := range map[string]string{
		"alice":                    "alice",
		" Alice@Example.org ":      "alice@example.org",
		"correct horse battery":    auth.InvalidLoginName,
		"P4ss!word":                auth.InvalidLoginName,
		"":                         auth.InvalidLoginName,
		"a\x00b":                   auth.InvalidLoginName,
		strings.Repeat("a", 65):    auth.InvalidLoginName,
		"\xff\xfe":                 auth.InvalidLoginName,
		"-starts-with-punctuation": auth.InvalidLoginName,
	} {
		if got := auth.LoginActor(in); got != want {
			t.Errorf("LoginActor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoginActorFor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := fixture(t, db, auth.Options{})
		for in, want := range map[string]string{
			" ALICE ":               "alice",
			"bob":                   "bob",
			"sunshine2024":          auth.UnknownLoginName,
			"correct horse battery": auth.InvalidLoginName,
		} {
			if got := s.LoginActorFor(t.Context(), in); got != want {
				t.Errorf("LoginActorFor(%q) = %q, want %q", in, got, want)
			}
		}
	})
}
