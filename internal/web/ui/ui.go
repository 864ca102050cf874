package ui

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/web"
)

// Deps are what the pages use. Banks, Auth and Index or Follower are
// required.
type Deps struct {
	Banks *bank.Service
	// Index is the in-memory index the match debugger searches; when nil,
	// Follower's.
	Index *match.Index
	// Follower keeps Index current; pages that change a bank sync it
	// before they answer, so that the next lookup sees the change, and the
	// dashboard shows its status. May be nil.
	Follower *match.Follower
	Auth     *auth.Service
	// Audit is the trail the audit page reads and login attempts go to.
	Audit *audit.Log
	// SecureCookies marks the session cookie Secure even on plain HTTP
	// (behind a TLS-terminating proxy); it is always Secure under TLS.
	SecureCookies bool
	Logger        *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// ui holds the parsed templates and assets the handlers share.
type ui struct {
	Deps
	pages  map[string]*pageTemplate
	assets map[string]*asset
}

// Routes returns every page and asset route. It panics if the embedded
// templates do not parse (a build defect, caught by any test).
func Routes(d Deps) []web.Route {
	u, err := newUI(d)
	if err != nil {
		panic(err)
	}
	return u.routes()
}

func newUI(d Deps) (*ui, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Index == nil && d.Follower != nil {
		d.Index = d.Follower.Index()
	}
	u := &ui{Deps: d}
	var err error
	if u.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if u.pages, err = parsePages(u.funcs()); err != nil {
		return nil, err
	}
	return u, nil
}

func (u *ui) routes() []web.Route {
	rs := []web.Route{
		{Method: "GET", Path: "/login", Action: auth.Public, Handler: u.loginForm},
		{Method: "POST", Path: "/login", Action: auth.Public, Handler: u.login},
		{Method: "POST", Path: "/logout", Action: auth.Self, Handler: u.logout},
		{Method: "GET", Path: "/account/password", Action: auth.Self, Handler: u.passwordForm},
		{Method: "POST", Path: "/account/password", Action: auth.Self, Handler: u.passwordChange},
		{Method: "GET", Path: "/{$}", Action: auth.Self, Handler: u.dashboard},
		{Method: "GET", Path: "/banks", Action: auth.BankList, Handler: u.banks},
		{Method: "POST", Path: "/banks", Action: auth.BankWrite, Handler: u.bankCreate},
		{Method: "GET", Path: "/banks/{name}", Action: auth.BankRead, Handler: u.bankShow},
		{Method: "GET", Path: "/banks/{name}/import", Action: auth.BankWrite, Handler: u.bankImportForm},
		{Method: "POST", Path: "/banks/{name}/import", Action: auth.BankWrite, Handler: u.bankImport},
		{Method: "POST", Path: "/banks/{name}/withdraw", Action: auth.BankWrite, Handler: u.bankWithdraw},
		{Method: "GET", Path: "/match", Action: auth.Match, Handler: u.matchForm},
		{Method: "POST", Path: "/match", Action: auth.Match, Handler: u.matchRun},
		{Method: "GET", Path: "/admin/users", Action: auth.UserAdmin, Handler: u.users},
		{Method: "POST", Path: "/admin/users", Action: auth.UserAdmin, Handler: u.userCreate},
		{Method: "POST", Path: "/admin/users/{login}/disable", Action: auth.UserAdmin, Handler: u.userDisable},
		{Method: "GET", Path: "/admin/tokens", Action: auth.UserAdmin, Handler: u.tokens},
		{Method: "POST", Path: "/admin/tokens", Action: auth.UserAdmin, Handler: u.tokenCreate},
		{Method: "POST", Path: "/admin/tokens/{id}/revoke", Action: auth.UserAdmin, Handler: u.tokenRevoke},
		{Method: "GET", Path: "/admin/audit", Action: auth.AuditRead, Handler: u.auditLog},
	}
	for _, a := range u.assets {
		rs = append(rs, web.Route{Method: "GET", Path: a.route, Action: auth.Public, Handler: a.serve})
	}
	return rs
}

// syncIndex brings the index up to date after this request changed a
// bank, so that the next lookup sees the change. A failure is logged: the
// follower's own runs retry.
func (u *ui) syncIndex(r *http.Request) {
	if u.Follower == nil {
		return
	}
	if err := u.Follower.Sync(r.Context()); err != nil {
		u.Logger.WarnContext(r.Context(), "ui: index sync", "err", err)
	}
}

// principal returns the request's authenticated party.
func principal(r *http.Request) auth.Principal { return web.PrincipalFrom(r.Context()) }
