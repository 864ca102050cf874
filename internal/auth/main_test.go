package auth_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// cheap are argon2id parameters that keep tests fast; the format and code
// paths are those of the defaults.
var cheap = auth.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// clock is a settable time for tests of expiry and lockout.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const pw = "correct horse battery"

// fixture is a service with two organisations and a user in each.
func fixture(t *testing.T, db *store.DB, opt auth.Options) (*auth.Service, *clock) {
	t.Helper()
	c := newClock()
	opt.Hash, opt.Now = cheap, c.Now
	s := auth.NewService(db, opt)
	t.Cleanup(s.Close)
	ctx := t.Context()
	orgs := []struct {
		name  string
		roles []auth.Role
	}{
		{"hotline", []auth.Role{auth.HotlineAnalyst, auth.Monitor}},
		{"platform-a", []auth.Role{auth.Partner, auth.Admin}},
	}
	for _, o := range orgs {
		if _, err := s.CreateOrg(ctx, o.name, "", o.roles...); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateUser(ctx, "hotline", "alice", auth.HotlineAnalyst, pw); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "platform-a", "bob", auth.Admin, pw); err != nil {
		t.Fatal(err)
	}
	return s, c
}
