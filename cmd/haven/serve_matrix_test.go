package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/web"
)

// roleCodes abbreviates the roles in the expectation table.
var roleCodes = map[byte]auth.Role{
	'I': auth.Investigator, 'V': auth.VictimID, 'H': auth.HotlineAnalyst, 'P': auth.Partner,
	'C': auth.CareWorker, 'M': auth.Monitor, 'A': auth.Admin,
}

// routeAccess says who may use each route of the full server (API and UI):
// role letters as in roleCodes, '*' for anonymous requests. A route missing
// here fails the test, so that every new route gets a reviewed entry. A
// key ending in '*' covers the paths it prefixes (fingerprinted assets).
var routeAccess = map[string]string{
	"GET /status":      "*IVHPCMA",
	"GET /status/live": "*IVHPCMA",
	"GET /metrics":     "VMA",
	"GET /static/*":    "*IVHPCMA",
	"GET /login":       "*IVHPCMA",
	"POST /login":      "*IVHPCMA",

	"GET /api/v1/openapi.json": "*IVHPCMA",
	"GET /api/v1/whoami":       "IVHPCMA",
	"POST /logout":             "IVHPCMA",
	"GET /account/password":    "IVHPCMA",
	"POST /account/password":   "IVHPCMA",
	"GET /{$}":                 "IVHPCMA",

	// Matching: partners get verdicts for banks shared with them.
	"GET /m/lookup":       "IVHP",
	"GET /m/raw_lookup":   "IVHP",
	"POST /m/compare":     "IVHP",
	"POST /h/hash":        "IVHP",
	"POST /api/v1/lookup": "IVHP",
	"GET /match":          "IVHP",
	"POST /match":         "IVHP",
	// Figures: sizes and counts only.
	"GET /m/index/status":      "IVHPMA",
	"GET /api/v1/index/status": "IVHPMA",
	"GET /api/v1/stats":        "VMA",
	// Bank names and settings.
	"GET /c/banks":             "IVHPA",
	"GET /c/bank/{name}":       "IVHPA",
	"GET /api/v1/banks":        "IVHPA",
	"GET /api/v1/banks/{name}": "IVHPA",
	"GET /banks":               "IVHPA",
	// Bank entries (hashes, categories): never partners, care or monitors.
	"GET /api/v1/banks/{name}/entries": "IVH",
	"GET /banks/{name}":                "IVH",
	// Bank changes.
	"POST /c/banks":                     "VHA",
	"PUT /c/bank/{name}":                "VHA",
	"DELETE /c/bank/{name}":             "VHA",
	"POST /c/bank/{name}/signal":        "VHA",
	"POST /api/v1/banks":                "VHA",
	"POST /api/v1/banks/{name}/import":  "VHA",
	"POST /banks":                       "VHA",
	"GET /banks/{name}/import":          "VHA",
	"POST /banks/{name}/import":         "VHA",
	"POST /banks/{name}/withdraw":       "VHA",
	"GET /admin/users":                  "A",
	"POST /admin/users":                 "A",
	"POST /admin/users/{login}/disable": "A",
	"GET /admin/tokens":                 "A",
	"POST /admin/tokens":                "A",
	"POST /admin/tokens/{id}/revoke":    "A",
	"GET /admin/audit":                  "A",
}

func lookupAccess(key string) (string, bool) {
	if a, ok := routeAccess[key]; ok {
		return a, true
	}
	for k, a := range routeAccess {
		if prefix, ok := strings.CutSuffix(k, "*"); ok && strings.HasPrefix(key, prefix) {
			return a, true
		}
	}
	return "", false
}

// TestRouteRoleMatrix sends a request to every route of the server as
// `haven serve` builds it, as every role and anonymously, and checks allow
// (any status but 401 and 403) and deny against routeAccess. Every route
// is tried with a browser session (cookie and CSRF token, a fresh login
// each time, so that /logout ends nothing else) and the API routes also
// with an API token of each role.
func TestRouteRoleMatrix(t *testing.T) {
	w := newTestWorld(t)
	n, try := w.node, w.try
	api := regexp.MustCompile(`^/(api/v1|m|h|c|status|metrics)\b`)
	for _, rt := range n.server.Routes() {
		key := rt.Method + " " + rt.Path
		access, ok := lookupAccess(key)
		if !ok {
			t.Errorf("route %s has no entry in routeAccess", key)
			continue
		}
		for _, viaToken := range []bool{false, true} {
			if viaToken && !api.MatchString(rt.Path) {
				continue
			}
			for _, who := range []byte("*IVHPCMA") {
				code := try(rt, who, viaToken)
				denied := code == http.StatusUnauthorized || code == http.StatusForbidden
				if want := strings.IndexByte(access, who) >= 0; denied == want {
					t.Errorf("%s as %c (token %v): status %d, want allowed=%v", key, who, viaToken, code, want)
				}
				if code >= 500 {
					t.Errorf("%s as %c (token %v): status %d", key, who, viaToken, code)
				}
			}
		}
	}
	// Every entry names a route (stale entries hide nothing but mislead).
	keys := map[string]bool{}
	for _, rt := range n.server.Routes() {
		keys[rt.Method+" "+rt.Path] = true
	}
	for k := range routeAccess {
		if !strings.HasSuffix(k, "*") && !keys[k] {
			t.Errorf("routeAccess has %s, which is no route", k)
		}
	}
}

// testWorld is a node as `haven serve` builds it, over SQLite, with one
// organisation, a bank "matrix", and a user and a token per role.
type testWorld struct {
	node *node
	// try sends a request to a route as a role letter ('*' anonymous),
	// by token or by a fresh session, with the body given, and returns the
	// status.
	try func(rt web.Route, who byte, viaToken bool, body ...string) int
}

func newTestWorld(t *testing.T) *testWorld {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := startNode(ctx, db, nodeOptions{log: log, authOptions: auth.Options{Hash: cheapHash, MaxFailures: 1000, MaxAddrFailures: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.close)
	// One organisation for everyone, so that only the role decides.
	if _, err := n.auth.CreateOrg(ctx, "matrix", "Matrix", auth.Roles...); err != nil {
		t.Fatal(err)
	}
	if _, err := n.banks.Create(ctx, bank.Bank{Name: "matrix", SourceOrg: "matrix"}); err != nil {
		t.Fatal(err)
	}
	const password = "matrix-password-1"
	tokens := map[auth.Role]string{}
	for _, role := range auth.Roles {
		tok, _, err := n.auth.CreateTokenFor(ctx, auth.TokenSpec{Org: "matrix", Name: string(role), Role: role})
		if err != nil {
			t.Fatal(err)
		}
		tokens[role] = tok
		// Created with a password chosen for them, changed at once: a
		// session that must change its password reaches nothing else.
		login := "user-" + strings.ReplaceAll(string(role), "_", "-")
		if _, err := n.auth.CreateUser(ctx, "matrix", login, role, "matrix-first-password"); err != nil {
			t.Fatal(err)
		}
		if err := n.auth.ChangePassword(ctx, login, "matrix-first-password", password); err != nil {
			t.Fatal(err)
		}
	}
	hs := httptest.NewServer(n.server.Handler())
	t.Cleanup(hs.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	paths := strings.NewReplacer("{name}", "matrix", "{login}", "nobody", "{id}", "999999", "{$}", "")
	try := func(rt web.Route, who byte, viaToken bool, bodyAndType ...string) int {
		t.Helper()
		body, ctype := "", ""
		if len(bodyAndType) == 2 {
			body, ctype = bodyAndType[0], bodyAndType[1]
		}
		login := "user-investigator"
		if who != '*' {
			login = "user-" + strings.ReplaceAll(string(roleCodes[who]), "_", "-")
		}
		req, _ := http.NewRequest(rt.Method, hs.URL+paths.Replace(rt.Path), strings.NewReader(body))
		if rt.Method == "POST" && rt.Path == "/login" && body == "" {
			req, _ = http.NewRequest(rt.Method, hs.URL+rt.Path,
				strings.NewReader(url.Values{"csrf_token": {"x"}, "login": {login}, "password": {password}}.Encode()))
			ctype = "application/x-www-form-urlencoded"
			req.AddCookie(&http.Cookie{Name: "haven_login_csrf", Value: "x"})
		}
		if form, ok := objectForms[rt.Method+" "+rt.Path]; ok && body == "" {
			// Routes that act on an organisation named in the form: name
			// the world's, so that only the role decides.
			req, _ = http.NewRequest(rt.Method, hs.URL+paths.Replace(rt.Path), strings.NewReader(form))
			ctype = "application/x-www-form-urlencoded"
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		switch {
		case who == '*':
		case viaToken:
			req.Header.Set("Authorization", "Bearer "+tokens[roleCodes[who]])
		default:
			sess, _, err := n.auth.Login(ctx, login, password, "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: sess.ID})
			req.Header.Set("X-CSRF-Token", sess.CSRF)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	return &testWorld{node: n, try: try}
}

// objectForms are the bodies of routes whose object is named in the form.
var objectForms = map[string]string{
	"POST /admin/users":  "org=matrix&login=new-user&role=monitor",
	"POST /admin/tokens": "org=matrix&name=new-token&role=partner",
}

// cheapHash lowers the password hashing cost in tests.
var cheapHash = auth.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
