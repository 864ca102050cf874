// Package web is Haven's HTTP layer: the server, its routing table, the
// middleware every request passes (authentication, the policy, audit,
// limits, logs, metrics), the HMA-compatible hash API and Haven's own
// /api/v1. HTML pages live in internal/web/ui and are mounted as routes of
// the same table, so one policy test covers every route.
package web

import (
	"context"
	"net/http"

	"github.com/havenproject/haven/internal/auth"
)

// Route is one entry of the routing table. The server checks Action against
// the request's principal (auth.Decide with the zero Resource, i.e. the role
// gate) before Handler runs; a handler that touches one object (a bank, a
// case) asks Authorize for that object, never decides itself.
type Route struct {
	Method string // "GET", "POST", ...
	// Path is a net/http ServeMux path pattern, e.g. "/c/bank/{name}".
	Path    string
	Action  auth.Action
	Handler http.HandlerFunc
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p auth.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal the server authenticated for the
// request, or auth.Anonymous.
func PrincipalFrom(ctx context.Context) auth.Principal {
	p, _ := ctx.Value(principalKey{}).(auth.Principal)
	return p
}
