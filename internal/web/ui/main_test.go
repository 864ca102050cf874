package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/filehash"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/web"
	"github.com/havenproject/haven/internal/web/ui"
)

// env is the UI mounted on the real server (web.New) over a real SQLite
// store, with real authentication and audit trail, as haven serve wires
// it. Requests go through a cookie jar like a browser's.
type env struct {
	t      *testing.T
	db     *store.DB
	banks  *bank.Service
	auth   *auth.Service
	audit  *audit.Log
	follow *match.Follower
	srv    *httptest.Server
	// c keeps cookies across requests and follows no redirect; csrf is
	// the token of its session, added to posts that carry none.
	c    *http.Client
	csrf string
	// routes are the UI's routes as mounted.
	routes []web.Route
}

// fastHash keeps argon2id cheap in tests.
var fastHash = auth.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvConfig(t, web.Config{})
}

// newEnvConfig is newEnv with the server configured by cfg.
func newEnvConfig(t *testing.T, cfg web.Config) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, banks: bank.NewService(db), auth: auth.NewService(db, auth.Options{Hash: fastHash}), audit: audit.New(db)}
	if e.follow, err = match.NewFollower(ctx, e.banks); err != nil {
		t.Fatal(err)
	}
	cfg.ErrorPage, cfg.Logger = ui.ErrorPage, slog.New(slog.DiscardHandler)
	s := web.New(cfg,
		web.Deps{DB: db, Banks: e.banks, Auth: e.auth, Audit: e.audit, Index: e.follow})
	e.routes = ui.Routes(ui.Deps{Banks: e.banks, Follower: e.follow, Auth: e.auth, Audit: e.audit, Logger: slog.New(slog.DiscardHandler)})
	s.Handle(e.routes...)
	t.Cleanup(func() { s.Close(context.Background()) })
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	e.newBrowser()
	return e
}

// newBrowser forgets every cookie.
func (e *env) newBrowser() {
	jar, _ := cookiejar.New(nil)
	e.c = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	e.csrf = ""
}

// loginAs logs in, in a fresh browser, as a user named role-org with that
// role, creating the organisation and the user at first use.
func (e *env) loginAs(role auth.Role, org string) {
	e.t.Helper()
	login := string(role) + "-" + org
	if _, err := e.auth.GetUser(context.Background(), login); err != nil {
		e.seedUser(org, login, role, "long enough password")
	}
	e.newBrowser()
	if a := e.login(login, "long enough password"); a.status != http.StatusSeeOther {
		e.t.Fatalf("login as %s: %d", login, a.status)
	}
	e.csrf = csrf(e.t, e.get("/"))
}

type answer struct {
	status int
	body   string
	header http.Header
}

func (e *env) do(req *http.Request) answer {
	e.t.Helper()
	req.Header.Set("Accept", "text/html")
	resp, err := e.c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), resp.Header}
}

func (e *env) get(path string) answer {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	return e.do(req)
}

func (e *env) post(path string, form url.Values) answer {
	e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok && e.csrf != "" {
		form.Set("csrf_token", e.csrf)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req)
}

// samplePath returns a benign sample image shipped with the repository.
func samplePath(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "testdata", "samples", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("sample image: %v", err)
	}
	return p
}

// pdqOf hashes a sample image.
func pdqOf(t testing.TB, name string) string {
	t.Helper()
	res := filehash.File(context.Background(), samplePath(t, name), filehash.Options{})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	return res.PDQ.String()
}

func mustContain(t *testing.T, a answer, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(a.body, p) {
			t.Errorf("page (status %d) lacks %q", a.status, p)
		}
	}
}

func bankOf(name, org string) bank.Bank { return bank.Bank{Name: name, SourceOrg: org} }

func auditFilter(action string) audit.Filter { return audit.Filter{Action: action} }
