package ui_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
)

var (
	reInput  = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	reAttr   = func(name string) *regexp.Regexp { return regexp.MustCompile(`\b` + name + `="([^"]*)"`) }
	reID     = reAttr("id")
	reType   = reAttr("type")
	reForm   = regexp.MustCompile(`(?s)<form\b[^>]*method="post"[^>]*>.*?</form>`)
	reImg    = regexp.MustCompile(`<img\b[^>]*>`)
	reExtern = regexp.MustCompile(`(?i)\b(src|href|action)="(https?:)?//`)
)

// checkPage checks what every page must have: a language, landmarks, a
// label for every field, the CSRF token in every form that posts, no
// reference to another site, and the headers that keep it so.
func checkPage(t *testing.T, path string, a answer) {
	t.Helper()
	for _, want := range []string{`<html lang="en">`, `<main id="main"`, `<header>`, `<footer>`, `<h1>`, `class="skip" href="#main"`} {
		if !strings.Contains(a.body, want) {
			t.Errorf("%s: no %s", path, want)
		}
	}
	for _, m := range reInput.FindAllString(a.body, -1) {
		typ := ""
		if t := reType.FindStringSubmatch(m); t != nil {
			typ = t[1]
		}
		if typ == "hidden" || typ == "submit" {
			continue
		}
		id := reID.FindStringSubmatch(m)
		if id == nil {
			t.Errorf("%s: field without id: %s", path, m)
			continue
		}
		if !strings.Contains(a.body, `<label for="`+id[1]+`"`) && !strings.Contains(a.body, `for="`+id[1]+`">`) {
			t.Errorf("%s: field %s has no label", path, id[1])
		}
	}
	for _, f := range reForm.FindAllString(a.body, -1) {
		if !regexp.MustCompile(`name="csrf_token" value="[^"]+"`).MatchString(f) {
			t.Errorf("%s: a post form without a CSRF token: %.120s", path, f)
		}
	}
	for _, img := range reImg.FindAllString(a.body, -1) {
		if !strings.Contains(img, ` alt="`) {
			t.Errorf("%s: image without alt: %.80s", path, img)
		}
	}
	if m := reExtern.FindString(a.body); m != "" {
		t.Errorf("%s: refers to another site: %s", path, m)
	}
	if csp := a.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("%s: CSP %q", path, csp)
	}
}

// TestPagesStructure opens every page as the roles that may and checks
// each against checkPage.
func TestPagesStructure(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.banks.Create(ctx, bank.Bank{Name: "b1", SourceOrg: "hotline"})
	e.banks.Create(ctx, bank.Bank{Name: "b2", SourceOrg: "operator"})
	pages := []struct {
		role  auth.Role
		org   string
		paths []string
	}{
		{"", "", []string{"/login", "/login?done=logout", "/nope"}},
		{auth.HotlineAnalyst, "hotline", []string{"/", "/banks", "/banks/b1", "/banks/b1?withdrawn=1", "/match", "/account/password", "/admin/users", "/banks/b2"}},
		{auth.Admin, "operator", []string{"/", "/banks", "/banks/b2/import", "/admin/users", "/admin/tokens", "/admin/audit", "/admin/audit?actor=x"}},
	}
	for _, pg := range pages {
		if pg.role != "" {
			e.loginAs(pg.role, pg.org)
			e.post("/banks/b1/import", nil) // an error page with a form
		}
		for _, p := range pg.paths {
			a := e.get(p)
			if a.status >= 500 {
				t.Errorf("%s as %s: %d", p, pg.role, a.status)
			}
			checkPage(t, fmt.Sprintf("%s as %q", p, pg.role), a)
		}
	}
	// Pages that answer a post: the match result with a thumbnail, the
	// one-time secrets.
	e.loginAs(auth.Admin, "operator")
	checkPage(t, "user created", e.post("/admin/users", url.Values{"login": {"z"}, "org": {"operator"}, "role": {"monitor"}}))
	checkPage(t, "token created", e.post("/admin/tokens", url.Values{"name": {"z"}, "org": {"operator"}, "role": {"partner"}, "days": {"1"}}))
}

func TestAuditPage(t *testing.T) {
	e := newEnv(t)
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")
	e.seedUser("police", "zed", auth.Investigator, "correct horse battery")
	e.login("ana", "wrong password!")
	e.login("ana", "correct horse battery")
	// Another organisation's administrator sees none of the hotline's
	// records, whatever the filter (administrators are org-scoped).
	e.loginAs(auth.Admin, "operator")
	for _, q := range []string{"", "?actor=ana", "?action=login", "?object=user:ana"} {
		if a := e.get("/admin/audit" + q); strings.Contains(a.body, "<td>user:ana</td>") || strings.Contains(a.body, "<td>ana</td>") {
			t.Errorf("the operator's admin sees the hotline's records (/admin/audit%s)", q)
		}
	}
	e.loginAs(auth.Admin, "hotline")
	for range 60 {
		// Each refusal of the policy is a record (zed is another
		// organisation's).
		e.post("/admin/users/zed/disable", nil)
	}
	a := e.get("/admin/audit?action=login&actor=ana")
	mustContain(t, a, "<td>login</td>", "<td>user:ana</td>", "<td>ok</td>", "<td>denied</td>")
	if strings.Contains(a.body, "<td>admin-hotline</td>") {
		t.Error("the actor filter let other actors through")
	}
	// Paging: 50 newest, then older ones.
	a = e.get("/admin/audit")
	next := regexp.MustCompile(`href="(/admin/audit\?before=\d+)" rel="next"`).FindStringSubmatch(a.body)
	if next == nil {
		t.Fatal("no link to older records")
	}
	if n := strings.Count(a.body, "<tr>") - 1; n != 50 {
		t.Errorf("first page: %d records", n)
	}
	older := e.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	mustContain(t, older, "Newest", "<td>login</td>")
	if a = e.get("/admin/audit?from=yesterday"); a.status != 400 {
		t.Errorf("bad time: %d", a.status)
	}
	a = e.get("/admin/audit?from=2000-01-01T00:00&to=2000-01-02T00:00")
	mustContain(t, a, "No records match.")
	// Reading the audit log is itself recorded.
	recs, _ := e.audit.List(context.Background(), auditFilter("audit.read"))
	if len(recs) == 0 {
		t.Error("reading the audit log left no record")
	}
}
