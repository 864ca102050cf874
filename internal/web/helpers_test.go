package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// cheap lowers the password hashing cost for tests.
var cheap = auth.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// recorder keeps audit records in memory (the audit package's Log is
// tested by its own package).
type recorder struct {
	mu   sync.Mutex
	recs []audit.Record
}

func (r *recorder) Append(_ context.Context, rec audit.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, rec)
	return nil
}

func (r *recorder) records() []audit.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]audit.Record(nil), r.recs...)
}

// The fixture's world: organisations, a principal per role, two banks.
const (
	// bridgePDQ is a few bits from the PDQ hash of testdata/samples/bridge.jpg.
	bridgePDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
	knownMD5  = "0123456789abcdef0123456789abcdef"
)

var roleOrg = map[auth.Role]string{
	auth.Investigator: "police", auth.VictimID: "vid", auth.HotlineAnalyst: "hotline", auth.Partner: "platform",
	auth.CareWorker: "care", auth.Monitor: "rapporteur", auth.Admin: "operator",
}

type fixture struct {
	t      *testing.T
	db     *store.DB
	auth   *auth.Service
	audit  *recorder
	server *Server
	hs     *httptest.Server
	// tokens holds a bearer token per role; "other-partner" is a partner
	// of an organisation no bank is shared with.
	tokens map[string]string
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	return newFixtureConfig(t, db, Config{})
}

func newFixtureConfig(t *testing.T, db *store.DB, cfg Config) *fixture {
	t.Helper()
	ctx := t.Context()
	f := &fixture{t: t, db: db, auth: auth.NewService(db, auth.Options{Hash: cheap}), audit: &recorder{}, tokens: map[string]string{}}
	for _, org := range []string{"police", "vid", "hotline", "platform", "care", "rapporteur", "operator", "other-platform"} {
		var roles []auth.Role
		for role, o := range roleOrg {
			if o == org {
				roles = append(roles, role)
			}
		}
		if org == "other-platform" {
			roles = []auth.Role{auth.Partner}
		}
		if _, err := f.auth.CreateOrg(ctx, org, org, roles...); err != nil {
			t.Fatal(err)
		}
	}
	for role, org := range roleOrg {
		tok, _, err := f.auth.CreateTokenFor(ctx, auth.TokenSpec{Org: org, Name: string(role), Role: role})
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[string(role)] = tok
	}
	tok, _, err := f.auth.CreateToken(ctx, "other-platform", "scanner", 0)
	if err != nil {
		t.Fatal(err)
	}
	f.tokens["other-partner"] = tok
	banks := bank.NewService(db)
	mustBank(t, banks, bank.Bank{Name: "hotline-csam", SourceOrg: "hotline", SharedWith: []string{"platform", "police", "vid"}},
		signal.Signal{Kind: signal.PDQ, Value: bridgePDQ}, signal.Signal{Kind: signal.MD5, Value: knownMD5})
	mustBank(t, banks, bank.Bank{Name: "police-only", SourceOrg: "police"},
		signal.Signal{Kind: signal.PDQ, Value: strings.Repeat("ab", 32)})
	follower, err := match.NewFollower(ctx, banks)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.Logger = log
	f.server = New(cfg, Deps{DB: db, Banks: banks, Auth: f.auth, Audit: f.audit, Index: follower})
	f.hs = httptest.NewServer(f.server.Handler())
	t.Cleanup(f.hs.Close)
	return f
}

func mustBank(t *testing.T, svc *bank.Service, b bank.Bank, sigs ...signal.Signal) {
	t.Helper()
	if _, err := svc.Create(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	src := make(sliceSource, 0, len(sigs))
	for _, s := range sigs {
		src = append(src, bank.Entry{Signal: s, Category: bank.Category{Scheme: bank.SchemeNCMEC, Value: "A1"}})
	}
	if _, err := svc.Import(t.Context(), b.Name, &src, bank.ImportOptions{AddedBy: "test"}); err != nil {
		t.Fatal(err)
	}
}

// do sends a request as who ("" anonymous, a role, or "other-partner")
// and returns the status and body.
func (f *fixture) do(who, method, path string, body io.Reader, header ...string) (int, []byte) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.hs.URL+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// getJSON sends a GET and decodes the answer into v, failing unless the
// status is want.
func (f *fixture) getJSON(who, path string, want int, v any) {
	f.t.Helper()
	code, body := f.do(who, "GET", path, nil)
	if code != want {
		f.t.Fatalf("GET %s as %q: %d %s, want %d", path, who, code, body, want)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			f.t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
}
