package main

import (
	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/web"
	"github.com/havenproject/haven/internal/web/ui"
)

// newServer builds the server with every route: the API's and the UI's.
// The route × role test enumerates exactly this table.
func newServer(cfg web.Config, deps web.Deps, authSvc *auth.Service, log *audit.Log) *web.Server {
	cfg.ErrorPage = ui.ErrorPage
	s := web.New(cfg, deps)
	s.Handle(ui.Routes(ui.Deps{Banks: deps.Banks, Follower: deps.Index, Auth: authSvc, Audit: log,
		SecureCookies: cfg.Secure, Logger: cfg.Logger})...)
	return s
}
