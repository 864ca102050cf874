package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
)

// errAudit reports that the audit record of an access could not be
// written, so the access was refused: what is not recorded is not done.
var errAudit = errors.New("audit trail unavailable")

// Authorize decides whether the request's principal may perform a on res
// (auth.Decide) and records the decision in the audit trail, allowed or
// not. Handlers call it for every object they read or change and never
// decide access themselves. It returns Decide's error (wrapping
// auth.ErrDenied or auth.ErrUnauthenticated), or one wrapping errAudit
// when the record could not be written; answer it with the server's
// deny (answerErr does).
//
// A token's lookups (match, hash.media, index.read) are recorded in
// batches (see auditBatcher); every other record is written before
// Authorize returns.
func Authorize(r *http.Request, a auth.Action, res auth.Resource) error {
	return AuthorizeObject(r, a, res, r.URL.Path)
}

// AuthorizeObject is Authorize with the object named for the audit trail
// (e.g. "bank:hotline-csam") rather than by the request path.
func AuthorizeObject(r *http.Request, a auth.Action, res auth.Resource, object string) error {
	p := PrincipalFrom(r.Context())
	err := auth.Decide(p, a, res)
	st := stateFrom(r)
	if st == nil || st.server == nil {
		return err
	}
	if st.viaToken && batched(a) {
		st.server.audit.add(st, string(a), object, resultOf(err))
		return err
	}
	if aerr := st.server.audit.appendDecision(r, st, string(a), object, err); aerr != nil && err == nil {
		return aerr
	}
	return err
}

func resultOf(err error) string {
	switch {
	case err == nil:
		return audit.OK
	default:
		return audit.Denied
	}
}

// appendDecision writes one record at once. A failure to write is
// logged, and returned wrapping errAudit.
func (b *auditBatcher) appendDecision(r *http.Request, st *reqState, action, object string, decision error) error {
	if b.a == nil {
		return nil
	}
	rec := audit.Record{Actor: actorName(st.principal), Org: st.principal.Org, Role: string(st.principal.Role),
		Action: action, Object: object, Result: resultOf(decision), Remote: st.remote, Detail: "request " + st.id}
	if decision != nil {
		rec.Detail += ": " + decision.Error()
	}
	ctx := context.WithoutCancel(r.Context())
	if err := b.a.Append(ctx, rec); err != nil {
		b.log.Error("audit append failed", "id", st.id, "err", err)
		return fmt.Errorf("%w: %v", errAudit, err)
	}
	return nil
}

// actorName names a principal in the audit trail as the audit package
// asks: the login, or "token:<name>" for an API token.
func actorName(p auth.Principal) string {
	if p.TokenID != 0 {
		return "token:" + p.Name
	}
	return p.Name
}

// batched reports the actions whose token records are aggregated: the
// lookups a platform sends at machine rates. Reads and changes of bank
// data are recorded one by one.
func batched(a auth.Action) bool {
	return a == auth.Match || a == auth.HashMedia || a == auth.IndexRead
}
