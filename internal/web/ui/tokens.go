package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/auth"
)

type tokensData struct {
	Tokens []auth.Token
	Orgs   []auth.Org
	Roles  []auth.Role
	Form   tokenForm
	// Created and Plaintext are shown once, right after creation.
	Created   *auth.Token
	Plaintext string
	Now       time.Time
}

type tokenForm struct {
	Name, Org, Role string
	Days            int
}

// tokenRoles are the roles a token may carry: API clients, not people.
var tokenRoles = []auth.Role{auth.Partner, auth.Investigator, auth.HotlineAnalyst, auth.VictimID, auth.Monitor}

func (u *ui) tokens(w http.ResponseWriter, r *http.Request) {
	u.renderTokens(w, r, http.StatusOK, &tokensData{Form: tokenForm{Org: principal(r).Org, Role: string(auth.Partner), Days: 90}}, "")
}

func (u *ui) renderTokens(w http.ResponseWriter, r *http.Request, status int, d *tokensData, msg string) {
	p := principal(r)
	all, err := u.Auth.ListTokens(r.Context(), "")
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, t := range all {
		if auth.Decide(p, auth.UserAdmin, orgResource(t.Org)) == nil {
			d.Tokens = append(d.Tokens, t)
		}
	}
	if d.Orgs, err = u.adminOrgs(r); err != nil {
		u.fail(w, r, err)
		return
	}
	d.Roles, d.Now = allowedRoles(d.Orgs, d.Form.Org, tokenRoles), u.Now()
	v := u.newView(r, "API tokens", d)
	v.Error = msg
	u.render(w, r, status, "tokens", v)
}

// tokenCreate creates a token and shows its plaintext once.
func (u *ui) tokenCreate(w http.ResponseWriter, r *http.Request) {
	f := tokenForm{Name: strings.TrimSpace(r.PostFormValue("name")), Org: r.PostFormValue("org"), Role: r.PostFormValue("role")}
	f.Days, _ = strconv.Atoi(r.PostFormValue("days"))
	d := &tokensData{Form: f}
	if err := authorize(r, auth.UserAdmin, orgResource(f.Org), "token:"+f.Name); err != nil {
		u.fromError(w, r, err)
		return
	}
	role, err := auth.ParseRole(f.Role)
	if err != nil || role == auth.Admin || role == auth.CareWorker {
		u.renderTokens(w, r, http.StatusBadRequest, d, "Choose a role for the token.")
		return
	}
	if f.Days < 1 || f.Days > 3650 {
		u.renderTokens(w, r, http.StatusBadRequest, d, "The lifetime is 1 to 3650 days.")
		return
	}
	plain, tok, err := u.Auth.CreateTokenFor(r.Context(), auth.TokenSpec{Org: f.Org, Name: f.Name, Role: role,
		TTL: time.Duration(f.Days) * 24 * time.Hour, CreatedBy: principal(r).Name})
	u.auditChange(r, string(auth.UserAdmin), "token:"+f.Name, fmt.Sprintf("create in %s as %s, id %d, %d days", f.Org, role, tok.ID, f.Days), err)
	switch {
	case errors.Is(err, auth.ErrRoleNotAllowed):
		u.renderTokens(w, r, http.StatusBadRequest, d, "The token was not created: "+u.roleRefusal(r, f.Org, role))
		return
	case errors.Is(err, auth.ErrInvalid), errors.Is(err, auth.ErrNotFound), errors.Is(err, auth.ErrExists):
		u.renderTokens(w, r, http.StatusBadRequest, d, "The token was not created: "+err.Error())
		return
	case err != nil:
		u.fail(w, r, err)
		return
	}
	d = &tokensData{Form: tokenForm{Org: f.Org, Role: string(auth.Partner), Days: 90}, Created: &tok, Plaintext: plain}
	u.renderTokens(w, r, http.StatusOK, d, "")
}

// tokenRevoke revokes a token.
func (u *ui) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	tok, err := u.Auth.GetToken(r.Context(), id)
	if errors.Is(err, auth.ErrNotFound) {
		u.auditChange(r, string(auth.UserAdmin), "token:"+strconv.FormatInt(id, 10), "revoke: no such token", errHidden)
		u.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if err := authorize(r, auth.UserAdmin, orgResource(tok.Org), "token:"+strconv.FormatInt(tok.ID, 10)); err != nil {
		u.fromError(w, r, err)
		return
	}
	err = u.Auth.RevokeToken(r.Context(), id)
	u.auditChange(r, string(auth.UserAdmin), "token:"+strconv.FormatInt(tok.ID, 10), "revoke "+tok.Name, err)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/tokens?done=revoked")
}
