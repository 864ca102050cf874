package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
)

func TestUsersAndTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.seedUser("operator", "root", auth.Admin, "administrator password")
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")
	e.login("root", "administrator password")

	page := e.get("/admin/users")
	mustContain(t, page, "Users you administer", "root", `<label for="user-login">`)
	if strings.Contains(page.body, ">ana<") {
		t.Error("an admin of one organisation sees another's users")
	}
	tok := csrf(t, page)
	a := e.post("/admin/users", url.Values{"csrf_token": {tok}, "login": {"carol"}, "org": {"operator"}, "role": {"monitor"}})
	if a.status != http.StatusOK {
		t.Fatalf("create user: %d", a.status)
	}
	m := regexp.MustCompile(`id="one-time-password">([^<]+)<`).FindStringSubmatch(a.body)
	if m == nil {
		t.Fatal("no one-time password shown")
	}
	if ok, _ := loginWorks(e, "carol", m[1]); !ok {
		t.Error("the one-time password shown does not log in")
	}
	if strings.Contains(e.get("/admin/users").body, m[1]) {
		t.Error("the one-time password is shown again")
	}
	a = e.post("/admin/users", url.Values{"csrf_token": {tok}, "login": {"carol"}, "org": {"operator"}, "role": {"monitor"}})
	if a.status != http.StatusConflict {
		t.Errorf("duplicate user: %d", a.status)
	}
	// Another organisation's user is out of scope.
	if a = e.post("/admin/users", url.Values{"csrf_token": {tok}, "login": {"dave"}, "org": {"hotline"}, "role": {"monitor"}}); a.status != http.StatusForbidden {
		t.Errorf("create in another org: %d", a.status)
	}
	if a = e.post("/admin/users/ana/disable", url.Values{"csrf_token": {tok}}); a.status != http.StatusForbidden {
		t.Errorf("disable another org's user: %d", a.status)
	}
	if a = e.post("/admin/users/carol/disable", url.Values{"csrf_token": {tok}}); a.status != http.StatusSeeOther {
		t.Fatalf("disable: %d", a.status)
	}
	if u, _ := e.auth.GetUser(ctx, "carol"); u.Disabled.IsZero() {
		t.Error("carol not disabled")
	}
	mustContain(t, e.get("/admin/users?done=disabled"), "User disabled.", "disabled 20")

	// Tokens: shown once, listed without the secret, revocable.
	page = e.get("/admin/tokens")
	a = e.post("/admin/tokens", url.Values{"csrf_token": {csrf(t, page)}, "name": {"scanner"}, "org": {"operator"}, "role": {"partner"}, "days": {"30"}})
	if a.status != http.StatusOK {
		t.Fatalf("create token: %d", a.status)
	}
	m = regexp.MustCompile(`id="token-plaintext">(haven_[^<]+)<`).FindStringSubmatch(a.body)
	if m == nil {
		t.Fatal("no token shown")
	}
	p, err := e.auth.TokenPrincipal(ctx, m[1])
	if err != nil || p.Role != auth.Partner || p.Org != "operator" {
		t.Fatalf("token principal %+v, %v", p, err)
	}
	list := e.get("/admin/tokens")
	if strings.Contains(list.body, m[1]) {
		t.Error("the token is shown again")
	}
	mustContain(t, list, "scanner", "active")
	id := regexp.MustCompile(`action="/admin/tokens/(\d+)/revoke"`).FindStringSubmatch(list.body)
	if id == nil {
		t.Fatal("no revoke form")
	}
	if a = e.post("/admin/tokens/"+id[1]+"/revoke", url.Values{"csrf_token": {csrf(t, list)}}); a.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", a.status)
	}
	if _, err := e.auth.TokenPrincipal(ctx, m[1]); err == nil {
		t.Error("revoked token still works")
	}
	mustContain(t, e.get("/admin/tokens?done=revoked"), "Token revoked.", "revoked 20")
	if a = e.post("/admin/tokens", url.Values{"csrf_token": {csrf(t, list)}, "name": {"x"}, "org": {"operator"}, "role": {"admin"}, "days": {"30"}}); a.status != http.StatusBadRequest {
		t.Errorf("admin token: %d", a.status)
	}
}

// loginWorks reports whether login and password open a session, in a
// fresh client.
func loginWorks(e *env, login, password string) (bool, error) {
	_, _, err := e.auth.Login(context.Background(), login, password, "192.0.2.1")
	return err == nil, err
}

// TestAccess checks the role gate and object scope of the pages: each role
// sees what DESIGN.md grants and gets a clear 403 or 404 otherwise.
func TestAccess(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, b := range []struct{ name, org string }{{"own", "hotline"}, {"theirs", "police"}} {
		e.banks.Create(ctx, bankOf(b.name, b.org))
	}
	cases := []struct {
		role   auth.Role
		path   string
		status int
	}{
		{auth.HotlineAnalyst, "/banks/own", 200},
		{auth.HotlineAnalyst, "/banks/theirs", 404}, // not shared: not even its name
		{auth.HotlineAnalyst, "/banks/nope", 404},
		{auth.HotlineAnalyst, "/admin/users", 403},
		{auth.HotlineAnalyst, "/admin/audit", 403},
		{auth.CareWorker, "/banks", 403},
		{auth.CareWorker, "/match", 403},
		{auth.CareWorker, "/", 200},
		{auth.Monitor, "/banks", 403},
		{auth.Monitor, "/", 200},
		{auth.Partner, "/banks", 200},
		{auth.Partner, "/banks/own", 403}, // listed maybe, entries never
		{auth.Admin, "/banks/own", 403},
		{auth.Admin, "/admin/users", 200},
		{auth.Investigator, "/match", 200},
	}
	for _, c := range cases {
		e.loginAs(c.role, "hotline")
		a := e.get(c.path)
		if a.status != c.status {
			t.Errorf("%s GET %s: %d, want %d", c.role, c.path, a.status, c.status)
		}
		if c.status >= 400 {
			mustContain(t, a, fmt.Sprintf("<h1>%d %s</h1>", c.status, http.StatusText(c.status)))
		}
	}
	// A monitor's dashboard has counts only, no bank names.
	e.loginAs(auth.Monitor, "hotline")
	if a := e.get("/"); strings.Contains(a.body, "own") || !strings.Contains(a.body, "PDQ hashes") {
		t.Errorf("monitor dashboard:\n%s", a.body)
	}
	e.loginAs(auth.CareWorker, "hotline")
	if a := e.get("/"); strings.Contains(a.body, "PDQ") || strings.Contains(a.body, "Banks") {
		t.Error("a care worker's dashboard mentions hashes or banks")
	}
}
