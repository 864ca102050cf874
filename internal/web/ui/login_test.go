package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
)

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)

// csrf returns the CSRF token of the form on a page.
func csrf(t *testing.T, a answer) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(a.body)
	if m == nil || m[1] == "" {
		t.Fatalf("page (status %d) has no CSRF token", a.status)
	}
	return m[1]
}

// seedUser creates an organisation and a user with a known password that
// needs no change.
func (e *env) seedUser(org, login string, role auth.Role, password string) {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.auth.GetOrg(ctx, org); err != nil {
		if _, err := e.auth.CreateOrg(ctx, org, strings.ToUpper(org), auth.Roles...); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := e.auth.CreateUser(ctx, org, login, role, "initial-password-1"); err != nil {
		e.t.Fatal(err)
	}
	if err := e.auth.ChangePassword(ctx, login, "initial-password-1", password); err != nil {
		e.t.Fatal(err)
	}
}

// login logs in through the form and returns the answer to the post.
func (e *env) login(login, password string) answer {
	e.t.Helper()
	form := e.get("/login")
	return e.post("/login", url.Values{"login": {login}, "password": {password}, "csrf_token": {csrf(e.t, form)}, "next": {"/banks"}})
}

func TestLoginLogout(t *testing.T) {
	e := newEnv(t)
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")

	// Anonymous pages send browsers to the login page, and back after.
	if a := e.get("/banks"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/login?next=%2Fbanks" {
		t.Fatalf("anonymous /banks: %d %s", a.status, a.header.Get("Location"))
	}
	form := e.get("/login?next=/banks")
	mustContain(t, form, `<html lang="en">`, `<label for="login">`, `<label for="password">`, `value="/banks"`)

	// A post without the form's token is refused.
	a := e.post("/login", url.Values{"login": {"ana"}, "password": {"correct horse battery"}})
	if a.status != http.StatusForbidden {
		t.Errorf("login without CSRF: %d", a.status)
	}
	a = e.login("ana", "wrong password!")
	if a.status != http.StatusUnauthorized {
		t.Errorf("bad password: %d", a.status)
	}
	mustContain(t, a, "Wrong login name or password.", `value="ana"`)
	a = e.login("ana", "correct horse battery")
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/banks" {
		t.Fatalf("login: %d %s", a.status, a.header.Get("Location"))
	}
	var sess *http.Cookie
	for _, c := range e.c.Jar.Cookies(mustURL(e.srv.URL)) {
		if c.Name == "haven_session" {
			sess = c
		}
	}
	if sess == nil {
		t.Fatal("no session cookie after login")
	}
	setCookie := strings.Join(a.header.Values("Set-Cookie"), "\n")
	if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Strict") {
		t.Errorf("session cookie attributes: %s", setCookie)
	}
	dash := e.get("/")
	mustContain(t, dash, "ana", "hotline_analyst", "hotline", `href="/banks"`, `action="/logout"`)
	if strings.Contains(dash.body, `href="/admin/users"`) {
		t.Error("an analyst's navigation links the users page")
	}

	// Logout needs the session's CSRF token.
	if a := e.post("/logout", nil); a.status != http.StatusForbidden {
		t.Errorf("logout without CSRF: %d", a.status)
	}
	a = e.post("/logout", url.Values{"csrf_token": {csrf(t, dash)}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/login?done=logout" {
		t.Fatalf("logout: %d %s", a.status, a.header.Get("Location"))
	}
	if _, _, err := e.auth.SessionPrincipal(context.Background(), sess.Value); err == nil {
		t.Error("session still valid after logout")
	}
	if a := e.get("/"); a.status != http.StatusSeeOther {
		t.Errorf("dashboard after logout: %d", a.status)
	}
}

func TestLoginLocked(t *testing.T) {
	e := newEnv(t)
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")
	var a answer
	for range 6 {
		a = e.login("ana", "not the password")
	}
	if a.status != http.StatusTooManyRequests {
		t.Fatalf("after 6 failures: %d", a.status)
	}
	mustContain(t, a, "Too many failed logins")
	// Locked even with the right password.
	if a = e.login("ana", "correct horse battery"); a.status != http.StatusTooManyRequests {
		t.Errorf("right password while locked: %d", a.status)
	}
}

func TestLoginDisabledAndFirstPassword(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")
	e.auth.DisableUser(ctx, "ana")
	mustContain(t, e.login("ana", "correct horse battery"), "This account is disabled.")

	// A password set by an administrator must be changed first.
	if _, err := e.auth.CreateUser(ctx, "hotline", "ben", auth.HotlineAnalyst, "one-time-password-1"); err != nil {
		t.Fatal(err)
	}
	a := e.login("ben", "one-time-password-1")
	if a.header.Get("Location") != "/account/password?first=1" {
		t.Fatalf("first login goes to %q", a.header.Get("Location"))
	}
	// Until it is changed, other pages lead back to the password page.
	if a := e.get("/banks"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/account/password?first=1" {
		t.Errorf("GET /banks before the change: %d %q", a.status, a.header.Get("Location"))
	}
	page := e.get("/account/password?first=1")
	mustContain(t, page, "Choose your own", `action="/logout"`)
	if strings.Contains(page.body, `href="/banks"`) {
		t.Error("the navigation offers other pages before the password is changed")
	}
	tok := csrf(t, page)
	a = e.post("/account/password", url.Values{"csrf_token": {tok}, "current": {"one-time-password-1"}, "new": {"short"}, "confirm": {"short"}})
	mustContain(t, a, "too weak")
	a = e.post("/account/password", url.Values{"csrf_token": {tok}, "current": {"one-time-password-1"}, "new": {"ben's own long password"}, "confirm": {"ben's own long password"}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/login?done=password" {
		t.Fatalf("change: %d %s", a.status, a.header.Get("Location"))
	}
	if a = e.login("ben", "ben's own long password"); a.header.Get("Location") != "/banks" {
		t.Errorf("login with the new password goes to %q", a.header.Get("Location"))
	}
}

func TestLocalPathOnly(t *testing.T) {
	e := newEnv(t)
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example",
		"/\n/evil.example", "/%09/evil.example", "/%2F/evil.example", "https:evil.example"} {
		a := e.get("/login?next=" + url.QueryEscape(next))
		if strings.Contains(a.body, "evil.example") {
			t.Errorf("login form keeps next=%q", next)
		}
		// Posted straight to the login, it is dropped too.
		e.newBrowser()
		form := e.get("/login")
		a = e.post("/login", url.Values{"login": {"ana"}, "password": {"correct horse battery"}, "csrf_token": {csrf(t, form)}, "next": {next}})
		if loc := a.header.Get("Location"); a.status != http.StatusSeeOther || loc != "/" {
			t.Errorf("login with next=%q: %d, Location %q", next, a.status, loc)
		}
	}
	// A local path is kept, re-encoded.
	e.newBrowser()
	form := e.get("/login")
	a := e.post("/login", url.Values{"login": {"ana"}, "password": {"correct horse battery"}, "csrf_token": {csrf(t, form)}, "next": {"/banks/a b?page=2"}})
	if loc := a.header.Get("Location"); loc != "/banks/a%20b?page=2" {
		t.Errorf("local next: Location %q", loc)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
