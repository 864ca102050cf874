package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/havenproject/haven/internal/auth"
)

type usersData struct {
	Users []auth.User
	Orgs  []auth.Org
	Roles []auth.Role
	Form  userForm
	// Created and Password are shown once, right after creation.
	Created  *auth.User
	Password string
}

type userForm struct {
	Login, Org, Role string
}

// users lists the accounts the administrator may manage, and the form to
// create one.
func (u *ui) users(w http.ResponseWriter, r *http.Request) {
	u.renderUsers(w, r, http.StatusOK, &usersData{Form: userForm{Org: principal(r).Org}}, "")
}

func (u *ui) renderUsers(w http.ResponseWriter, r *http.Request, status int, d *usersData, msg string) {
	p := principal(r)
	all, err := u.Auth.ListUsers(r.Context(), "")
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, usr := range all {
		if auth.Decide(p, auth.UserAdmin, orgResource(usr.Org)) == nil {
			d.Users = append(d.Users, usr)
		}
	}
	if d.Orgs, err = u.adminOrgs(r); err != nil {
		u.fail(w, r, err)
		return
	}
	d.Roles = allowedRoles(d.Orgs, d.Form.Org, auth.Roles)
	v := u.newView(r, "Users", d)
	v.Error = msg
	u.render(w, r, status, "users", v)
}

// adminOrgs lists the organisations the principal may administer.
func (u *ui) adminOrgs(r *http.Request) ([]auth.Org, error) {
	orgs, err := u.Auth.ListOrgs(r.Context())
	if err != nil {
		return nil, err
	}
	var out []auth.Org
	for _, o := range orgs {
		if auth.Decide(principal(r), auth.UserAdmin, orgResource(o.Name)) == nil {
			out = append(out, o)
		}
	}
	return out, nil
}

// userCreate creates an account with a generated one-time password, shown
// on the answer page only; the user must change it at first login.
func (u *ui) userCreate(w http.ResponseWriter, r *http.Request) {
	f := userForm{Login: strings.TrimSpace(r.PostFormValue("login")), Org: r.PostFormValue("org"), Role: r.PostFormValue("role")}
	d := &usersData{Form: f}
	if err := authorize(r, auth.UserAdmin, orgResource(f.Org), "user:"+f.Login); err != nil {
		u.fromError(w, r, err)
		return
	}
	role, err := auth.ParseRole(f.Role)
	if err != nil {
		u.renderUsers(w, r, http.StatusBadRequest, d, "Choose a role.")
		return
	}
	pw := auth.GeneratePassword()
	usr, err := u.Auth.CreateUser(r.Context(), f.Org, f.Login, role, pw)
	u.auditChange(r, string(auth.UserAdmin), "user:"+f.Login, "create in "+f.Org+" as "+string(role), err)
	switch {
	case errors.Is(err, auth.ErrExists):
		u.renderUsers(w, r, http.StatusConflict, d, fmt.Sprintf("The login name %q is taken.", f.Login))
		return
	case errors.Is(err, auth.ErrRoleNotAllowed):
		u.renderUsers(w, r, http.StatusBadRequest, d, "The user was not created: "+u.roleRefusal(r, f.Org, role))
		return
	case errors.Is(err, auth.ErrInvalid), errors.Is(err, auth.ErrNotFound):
		u.renderUsers(w, r, http.StatusBadRequest, d, "The user was not created: "+err.Error())
		return
	case err != nil:
		u.fail(w, r, err)
		return
	}
	d = &usersData{Form: userForm{Org: f.Org}, Created: &usr, Password: pw}
	u.renderUsers(w, r, http.StatusOK, d, "")
}

// userDisable disables an account and ends its sessions.
func (u *ui) userDisable(w http.ResponseWriter, r *http.Request) {
	usr, err := u.Auth.GetUser(r.Context(), r.PathValue("login"))
	if errors.Is(err, auth.ErrNotFound) {
		u.auditChange(r, string(auth.UserAdmin), "user:"+r.PathValue("login"), "disable: no such user", errHidden)
		u.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if err := authorize(r, auth.UserAdmin, orgResource(usr.Org), "user:"+usr.Login); err != nil {
		u.fromError(w, r, err)
		return
	}
	if usr.ID == principal(r).UserID {
		u.errorPage(w, r, http.StatusBadRequest, "You cannot disable your own account.")
		return
	}
	err = u.Auth.DisableUser(r.Context(), usr.Login)
	u.auditChange(r, string(auth.UserAdmin), "user:"+usr.Login, "disable", err)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/users?done=disabled#user-"+url.PathEscape(usr.Login))
}

// allowedRoles are the roles among among that the organisation named org
// may hold, if it is one of orgs, or else that any of orgs may hold: the
// form offers no role the service would refuse.
func allowedRoles(orgs []auth.Org, org string, among []auth.Role) []auth.Role {
	consider := orgs
	for _, o := range orgs {
		if o.Name == org {
			consider = []auth.Org{o}
		}
	}
	var out []auth.Role
	for _, r := range among {
		for _, o := range consider {
			if o.Allows(r) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// roleRefusal says that the organisation named org may not hold role, and
// which roles it may.
func (u *ui) roleRefusal(r *http.Request, org string, role auth.Role) string {
	may := "none"
	if o, err := u.Auth.GetOrg(r.Context(), org); err == nil && len(o.Roles) > 0 {
		may = strings.ReplaceAll(auth.FormatRoles(o.Roles), ",", ", ")
	}
	return fmt.Sprintf("organisation %s may not hold the role %s (it may hold: %s). The operator changes this with haven admin set-org-roles.", org, role, may)
}
