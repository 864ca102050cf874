package ui

import (
	"errors"
	"net/http"

	"github.com/havenproject/haven/internal/auth"
)

type passwordData struct {
	First bool // the password was set by an administrator
}

func (u *ui) passwordForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "password", u.newView(r, "Change your password", passwordData{First: r.URL.Query().Get("first") == "1"}))
}

// passwordChange changes the user's own password. The service ends every
// session of the user, so the user logs in again.
func (u *ui) passwordChange(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	d := passwordData{First: r.PostFormValue("first") == "1"}
	again := func(status int, msg string) {
		v := u.newView(r, "Change your password", d)
		v.Error = msg
		u.render(w, r, status, "password", v)
	}
	if p.TokenID != 0 {
		u.errorPage(w, r, http.StatusForbidden, "API tokens have no password.")
		return
	}
	pw := r.PostFormValue("new")
	if pw != r.PostFormValue("confirm") {
		again(http.StatusBadRequest, "The new password and its confirmation differ.")
		return
	}
	err := u.Auth.ChangePassword(r.Context(), p.Name, r.PostFormValue("current"), pw)
	// The outcome is recorded after the change: ok, denied (wrong current
	// password, locked) or error (a refused new password, a fault).
	if aerr := u.auditChange(r, "password.change", "user:"+p.Name, "", err); aerr != nil && err == nil {
		// Done but not recorded: the sessions are ended all the same.
		u.Logger.ErrorContext(r.Context(), "ui: password changed, not recorded", "user", p.Name)
	}
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		again(http.StatusBadRequest, "The current password is wrong.")
	case errors.Is(err, auth.ErrLocked):
		again(http.StatusTooManyRequests, "Too many wrong passwords. Wait a few minutes, then try again.")
	case errors.Is(err, auth.ErrWeakPassword):
		again(http.StatusBadRequest, "The new password is too weak: "+err.Error())
	case err != nil:
		u.fail(w, r, err)
	default:
		u.clearSession(w, r)
		redirect(w, r, "/login?done=password")
	}
}
