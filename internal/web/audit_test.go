package web

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// TestTokenUsesReachTheTrail aggregates token uses and writes them to a
// real audit log in one transaction, on both databases.
func TestTokenUsesReachTheTrail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		l := audit.New(db)
		b := newAuditBatcher(l, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
		st := &reqState{principal: auth.Principal{Name: "scanner", Org: "platform", Role: auth.Partner, TokenID: 7},
			remote: "192.0.2.1", pattern: "GET /m/lookup", action: auth.Match}
		for range 1000 {
			b.tokenUse(st, 200)
		}
		b.tokenUse(st, 403)
		if err := b.flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		recs, err := l.List(t.Context(), audit.Filter{Actor: "token:scanner"})
		if err != nil {
			t.Fatal(err)
		}
		var ok, denied bool
		for _, r := range recs {
			ok = ok || r.Result == audit.OK && strings.Contains(r.Detail, "used 1000 times") && r.Object == "GET /m/lookup 200"
			denied = denied || r.Result == audit.Denied && strings.Contains(r.Detail, "used 1 times")
		}
		if !ok || !denied || len(recs) != 2 {
			t.Errorf("records: %+v", recs)
		}
		if b.pendingCount() != 0 {
			t.Errorf("%d aggregates left", b.pendingCount())
		}
		rep, err := l.Verify(t.Context())
		if err != nil || !rep.OK {
			t.Errorf("chain: %+v %v", rep, err)
		}
	})
}
