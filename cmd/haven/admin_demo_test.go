package main

import (
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/store"
)

// TestDemoOrgRoles checks that each demo organisation may hold only its
// demo user's role: the demo platform's users and tokens cannot become
// investigators or victim identifiers, whoever creates them.
func TestDemoOrgRoles(t *testing.T) {
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	n, err := startNode(ctx, db, nodeOptions{log: slog.New(slog.NewTextHandler(io.Discard, nil)), authOptions: auth.Options{Hash: cheapHash}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.close)
	t.Setenv("HAVEN_DEMO_SAMPLES", t.TempDir()) // no samples: banks stay empty, which is not what this test is about
	if err := seedDemo(ctx, n, io.Discard, "http://localhost/"); err != nil {
		t.Fatal(err)
	}
	for _, o := range demoOrgs {
		got, err := n.auth.GetOrg(ctx, o.name)
		if err != nil || !slices.Equal(got.Roles, []auth.Role{o.role}) {
			t.Errorf("%s: roles %v (%v), want only %s", o.name, got.Roles, err, o.role)
		}
	}
	for _, r := range []auth.Role{auth.Investigator, auth.VictimID, auth.Admin} {
		if _, err := n.auth.CreateUser(ctx, "demo-platform", "x-"+string(r[:3]), r, "a long enough password"); !errors.Is(err, auth.ErrRoleNotAllowed) {
			t.Errorf("%s user in demo-platform: %v", r, err)
		}
		if _, _, err := n.auth.CreateTokenFor(ctx, auth.TokenSpec{Org: "demo-platform", Name: "x", Role: r}); !errors.Is(err, auth.ErrRoleNotAllowed) {
			t.Errorf("%s token in demo-platform: %v", r, err)
		}
	}
}
