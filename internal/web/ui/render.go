package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/auth"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplate is one page: the layout plus the page's own file.
type pageTemplate struct {
	name string
	t    *template.Template
}

// parsePages parses templates/layout.html and the shared blocks in
// templates/_*.html with each other file of templates/, one set per page,
// so that every page defines its own "content" block.
func parsePages(funcs template.FuncMap) (map[string]*pageTemplate, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: templates: %w", err)
	}
	pages := map[string]*pageTemplate{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("ui: parse %s: %w", f, err)
		}
		pages[name] = &pageTemplate{name: name, t: t}
	}
	return pages, nil
}

// view is what every page template receives.
type view struct {
	Title string
	P     auth.Principal
	// CSRF is the token each form echoes in its csrf_token field.
	CSRF    string
	Nav     []navItem
	Flash   string
	Error   string
	Current string // path of the page, for aria-current
	Data    any
}

type navItem struct {
	Href, Label string
	Current     bool
}

// navigation lists the pages the principal's role may open at all.
var navigation = []struct {
	href, label string
	action      auth.Action
}{
	{"/", "Dashboard", auth.Self},
	{"/banks", "Banks", auth.BankList},
	{"/match", "Match debugger", auth.Match},
	{"/admin/users", "Users", auth.UserAdmin},
	{"/admin/tokens", "Tokens", auth.UserAdmin},
	{"/admin/audit", "Audit log", auth.AuditRead},
}

func (u *ui) newView(r *http.Request, title string, data any) *view {
	p := principal(r)
	v := &view{Title: title, P: p, Data: data, Current: r.URL.Path, CSRF: u.csrfToken(r)}
	// Until a password chosen by someone else is changed, the server
	// allows only the password page and logout: the navigation offers
	// nothing else.
	if p.Authenticated() && !p.MustChangePassword {
		for _, n := range navigation {
			if auth.Decide(p, n.action, auth.Collection) == nil {
				cur := r.URL.Path == n.href || (n.href != "/" && strings.HasPrefix(r.URL.Path, n.href+"/"))
				v.Nav = append(v.Nav, navItem{Href: n.href, Label: n.label, Current: cur})
			}
		}
	}
	v.Flash = flashes[r.URL.Query().Get("done")]
	return v
}

// flashes are the messages a redirect may ask for by key (?done=created):
// fixed texts, so that a link cannot make a page say anything else.
var flashes = map[string]string{
	"created":   "Bank created.",
	"withdrawn": "Entry withdrawn.",
	"disabled":  "User disabled.",
	"revoked":   "Token revoked.",
	"logout":    "You are logged out.",
	"password":  "Password changed. Log in with the new one.",
}

// contentSecurityPolicy forbids every source but this server, and data:
// images (thumbnails made in memory).
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// setPageHeaders marks an HTML answer: no caching (pages show hashes and
// names), no framing, no other origins.
func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
}

// render executes page into a buffer first, so that a template error gives
// an error page rather than half a page.
func (u *ui) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	pt, ok := u.pages[page]
	if !ok {
		u.fail(w, r, fmt.Errorf("no template %q", page))
		return
	}
	var buf bytes.Buffer
	if err := pt.t.ExecuteTemplate(&buf, "layout", v); err != nil {
		u.fail(w, r, fmt.Errorf("render %s: %w", page, err))
		return
	}
	setPageHeaders(w)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// redirect answers a form post with 303 See Other to path.
func redirect(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, path, http.StatusSeeOther)
}

func (u *ui) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) (string, error) {
			a, ok := u.assets[name]
			if !ok {
				return "", fmt.Errorf("no asset %q", name)
			}
			return a.route, nil
		},
		"can": func(p auth.Principal, action string) bool {
			return auth.Decide(p, auth.Action(action), auth.Collection) == nil
		},
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.UTC().Format("2006-01-02 15:04:05 UTC")
		},
		"iso":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"pathseg": url.PathEscape,
		"join":    strings.Join,
		"add":     func(a, b int) int { return a + b },
		"deref": func(v any) any {
			switch x := v.(type) {
			case *int:
				return *x
			case *time.Time:
				return *x
			}
			return v
		},
	}
}
