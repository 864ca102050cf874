package ui

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/web"
)

// Deps are what the pages use. Banks and Index are required.
type Deps struct {
	Banks *bank.Service
	// Index is the server's in-memory index (kept current by its follower).
	Index *match.Index
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
		{Method: "GET", Path: "/{$}", Action: auth.Self, Handler: u.dashboard},
		{Method: "GET", Path: "/banks", Action: auth.BankList, Handler: u.banks},
		{Method: "POST", Path: "/banks", Action: auth.BankWrite, Handler: u.bankCreate},
		{Method: "GET", Path: "/banks/{name}", Action: auth.BankRead, Handler: u.bankShow},
		{Method: "GET", Path: "/banks/{name}/import", Action: auth.BankWrite, Handler: u.bankImportForm},
		{Method: "POST", Path: "/banks/{name}/import", Action: auth.BankWrite, Handler: u.bankImport},
		{Method: "POST", Path: "/banks/{name}/withdraw", Action: auth.BankWrite, Handler: u.bankWithdraw},
		{Method: "GET", Path: "/match", Action: auth.Match, Handler: u.matchForm},
		{Method: "POST", Path: "/match", Action: auth.Match, Handler: u.matchRun},
	}
	for _, a := range u.assets {
		rs = append(rs, web.Route{Method: "GET", Path: a.route, Action: auth.Public, Handler: a.serve})
	}
	return rs
}

// principal returns the request's authenticated party.
func principal(r *http.Request) auth.Principal { return web.PrincipalFrom(r.Context()) }
