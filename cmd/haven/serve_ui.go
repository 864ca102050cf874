package main

import (
	"github.com/havenproject/haven/internal/web"
	"github.com/havenproject/haven/internal/web/ui"
)

// newServer builds the server with every route: the API's and the UI's.
// The route × role test enumerates exactly this table.
func newServer(cfg web.Config, deps web.Deps) *web.Server {
	cfg.ErrorPage = ui.ErrorPage
	s := web.New(cfg, deps)
	s.Handle(ui.Routes(ui.Deps{Banks: deps.Banks, Index: deps.Index.Index(), SecureCookies: cfg.Secure, Logger: cfg.Logger})...)
	return s
}
