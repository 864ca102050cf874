package ui

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/web"
)

// Records the UI writes itself, beside the decisions web.AuthorizeObject
// records: events no route gate sees (login, logout, password changes),
// refusals of objects answered 404, and the outcome of each change, written
// after it (the decision before it says only that it was allowed).

// errNotRecorded is returned when an audit record could not be written.
var errNotRecorded = errors.New("audit record not written")

// auditLogin records a login attempt. The actor is auth.LoginActor's (a
// name no account can have is not stored: it may be a password typed in
// the wrong field); a refused attempt carries the account's organisation
// when it exists, so that its administrators see it.
func (u *ui) auditLogin(r *http.Request, login string, p auth.Principal, err error) error {
	actor := auth.LoginActor(login)
	rec := audit.Record{Actor: actor, Org: p.Org, Role: string(p.Role), Action: "login", Object: "user:" + actor}
	if err != nil && actor != auth.InvalidLoginName {
		if usr, uerr := u.Auth.GetUser(r.Context(), actor); uerr == nil {
			rec.Org, rec.Role = usr.Org, string(usr.Role)
		}
	}
	return u.auditEvent(r, rec, err)
}

// auditChange records the outcome of action on object by the request's
// principal: ok, denied or error with err in the detail.
func (u *ui) auditChange(r *http.Request, action, object, detail string, err error) error {
	p := principal(r)
	return u.auditEvent(r, audit.Record{Actor: actorName(p), Org: p.Org, Role: string(p.Role), Action: action, Object: object, Detail: detail}, err)
}

// auditEvent appends rec with the result of err and the request's remote
// address and id. A record that cannot be written is logged and returned
// as an error wrapping errNotRecorded; callers that have not acted yet
// must not act.
func (u *ui) auditEvent(r *http.Request, rec audit.Record, err error) error {
	rec.Result, rec.Remote = resultOf(err), r.RemoteAddr
	if err != nil {
		rec.Detail = strings.TrimPrefix(rec.Detail+"; "+err.Error(), "; ")
	}
	if id := web.RequestID(r); id != "" {
		rec.Detail = strings.TrimPrefix(rec.Detail+"; request "+id, "; ")
	}
	if u.Audit == nil {
		return nil
	}
	if aerr := u.Audit.Append(context.WithoutCancel(r.Context()), rec); aerr != nil {
		u.Logger.ErrorContext(r.Context(), "ui: audit append", "action", rec.Action, "object", rec.Object, "err", aerr)
		return errors.Join(errNotRecorded, aerr)
	}
	return nil
}

// resultOf is the audit result of an outcome: a refusal (of the policy,
// of credentials, of a role) is denied, another error failed.
func resultOf(err error) string {
	switch {
	case err == nil:
		return audit.OK
	case errors.Is(err, auth.ErrDenied), errors.Is(err, auth.ErrUnauthenticated), errors.Is(err, auth.ErrBadCredentials),
		errors.Is(err, auth.ErrLocked), errors.Is(err, auth.ErrDisabled), errors.Is(err, auth.ErrRoleNotAllowed),
		errors.Is(err, errHidden):
		return audit.Denied
	default:
		return audit.Failed
	}
}

// errHidden is the refusal of an object the principal may not know of,
// answered 404.
var errHidden = errors.New("not visible to the organisation")

// actorName names a principal as the server's records do: the login, or
// "token:<name>" for an API token.
func actorName(p auth.Principal) string {
	if p.TokenID != 0 {
		return "token:" + p.Name
	}
	return p.Name
}
