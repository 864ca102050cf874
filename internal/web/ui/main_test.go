package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/filehash"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/web"
	"github.com/havenproject/haven/internal/web/ui"
)

// env is a UI on a real SQLite store behind a minimal server that gates
// routes by their Action as the real one does, with the principal set by
// the test.
type env struct {
	t      *testing.T
	db     *store.DB
	banks  *bank.Service
	auth   *auth.Service
	follow *match.Follower
	srv    *httptest.Server
	// c keeps cookies across requests (a browser) and follows no redirect.
	c *http.Client
	// as is the principal of requests without a session cookie.
	as auth.Principal
}

// fastHash keeps argon2id cheap in tests.
var fastHash = auth.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, banks: bank.NewService(db), auth: auth.NewService(db, auth.Options{Hash: fastHash})}
	if e.follow, err = match.NewFollower(ctx, e.banks); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	for _, rt := range ui.Routes(ui.Deps{Banks: e.banks, Follower: e.follow, Auth: e.auth}) {
		mux.HandleFunc(rt.Method+" "+rt.Path, func(w http.ResponseWriter, r *http.Request) {
			p := e.as
			if c, err := r.Cookie("haven_session"); err == nil {
				var sess auth.Session
				if p, sess, err = e.auth.SessionPrincipal(r.Context(), c.Value); err == nil && r.Method == "POST" &&
					r.PostFormValue("csrf_token") != sess.CSRF {
					ui.ErrorPage(w, r, http.StatusForbidden, "missing or invalid CSRF token")
					return
				}
			}
			r = r.WithContext(web.WithPrincipal(r.Context(), p))
			switch err := auth.Decide(p, rt.Action, auth.Resource{}); {
			case err == nil:
				rt.Handler(w, r)
			case !p.Authenticated():
				ui.ErrorPage(w, r, http.StatusUnauthorized, "")
			default:
				ui.ErrorPage(w, r, http.StatusForbidden, "")
			}
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { ui.ErrorPage(w, r, http.StatusNotFound, "") })
	jar, _ := cookiejar.New(nil)
	e.c = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

func principalOf(role auth.Role, org string) auth.Principal {
	return auth.Principal{UserID: 7, Name: string(role) + "-" + org, OrgID: 1, Org: org, Role: role}
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
