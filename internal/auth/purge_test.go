package auth_test

import (
	"testing"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, clk := fixture(t, db, auth.Options{MaxFailures: 2, IdleTimeout: time.Hour, FailureWindow: 10 * time.Minute, Lockout: 30 * time.Minute})
		count := func(table string) int {
			t.Helper()
			var n int
			if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if _, _, err := s.Login(ctx, "alice", pw, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		s.Login(ctx, "nobody", "wrong password!", "192.0.2.2")
		s.Login(ctx, "bob", "wrong password!", "192.0.2.3")
		s.Login(ctx, "bob", "wrong password!", "192.0.2.3") // locks bob for 30 minutes
		clk.Advance(20 * time.Minute)
		if _, err := s.PurgeSessions(ctx); err != nil {
			t.Fatal(err)
		}
		// Kept: the live session, bob's running lockout. Gone: the counts
		// whose window is over.
		if n := count("sessions"); n != 1 {
			t.Errorf("%d sessions after purge, want 1", n)
		}
		if n := count("login_throttle"); n != 1 {
			t.Errorf("%d login counts after purge, want bob's lockout", n)
		}
		clk.Advance(time.Hour)
		if n, err := s.PurgeSessions(ctx); err != nil || n != 1 {
			t.Errorf("purged %d sessions, %v", n, err)
		}
		if n := count("sessions") + count("login_throttle"); n != 0 {
			t.Errorf("%d rows left after everything ended", n)
		}
	})
}
