package ui

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/web"
)

// loginCSRFCookie carries the login form's CSRF token. No session exists
// before login, so the form is protected by a double-submit cookie: a
// cross-site page can neither read it nor, with SameSite=Strict, send it.
const loginCSRFCookie = "haven_login_csrf"

type loginData struct {
	Login, Next string
}

func (u *ui) loginForm(w http.ResponseWriter, r *http.Request) {
	if principal(r).Authenticated() {
		redirect(w, r, "/")
		return
	}
	u.renderLogin(w, r, http.StatusOK, loginData{Next: localPath(r.URL.Query().Get("next"))}, "")
}

func (u *ui) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData, msg string) {
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/login", HttpOnly: true,
		Secure: u.secure(r), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	v := u.newView(r, "Log in", d)
	v.CSRF, v.Error = token, msg
	u.render(w, r, status, "login", v)
}

// login checks the credentials, opens a session and sets its cookie.
func (u *ui) login(w http.ResponseWriter, r *http.Request) {
	d := loginData{Login: strings.TrimSpace(r.PostFormValue("login")), Next: localPath(r.PostFormValue("next"))}
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf_token"))) != 1 {
		u.renderLogin(w, r, http.StatusForbidden, d, "The login form had expired. Please try again.")
		return
	}
	sess, p, err := u.Auth.Login(r.Context(), d.Login, r.PostFormValue("password"), r.RemoteAddr)
	if aerr := u.auditLogin(r, d.Login, p, err); aerr != nil {
		// What is not recorded is not done: a login that cannot be
		// recorded opens no session.
		if err == nil {
			if lerr := u.Auth.Logout(context.WithoutCancel(r.Context()), sess.ID); lerr != nil {
				u.Logger.ErrorContext(r.Context(), "ui: end unrecorded session", "err", lerr)
			}
		}
		u.errorPage(w, r, http.StatusServiceUnavailable, "")
		return
	}
	switch {
	case errors.Is(err, auth.ErrLocked):
		u.renderLogin(w, r, http.StatusTooManyRequests, d, "Too many failed logins. Wait a few minutes, then try again.")
		return
	case errors.Is(err, auth.ErrDisabled):
		u.renderLogin(w, r, http.StatusForbidden, d, "This account is disabled. Ask an administrator of your organisation.")
		return
	case errors.Is(err, auth.ErrBadCredentials):
		u.renderLogin(w, r, http.StatusUnauthorized, d, "Wrong login name or password.")
		return
	case err != nil:
		u.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Path: "/login", MaxAge: -1, HttpOnly: true, Secure: u.secure(r), SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: sess.ID, Path: "/", Expires: sess.Expires,
		HttpOnly: true, Secure: u.secure(r), SameSite: http.SameSiteStrictMode})
	next := d.Next
	if p.MustChangePassword {
		next = "/account/password?first=1"
	}
	if next == "" {
		next = "/"
	}
	redirect(w, r, next)
}

// logout ends the session and clears its cookie.
func (u *ui) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(web.SessionCookie); err == nil {
		if err := u.Auth.Logout(r.Context(), c.Value); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	u.auditChange(r, "logout", "user:"+principal(r).Name, "", nil)
	u.clearSession(w, r)
	redirect(w, r, "/login?done=logout")
}

func (u *ui) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: u.secure(r), SameSite: http.SameSiteStrictMode})
}

// secure says whether cookies must be Secure.
func (u *ui) secure(r *http.Request) bool { return r.TLS != nil || u.SecureCookies }

// localPath keeps a "next" address only if it is a path on this server,
// so that the login page cannot send anyone elsewhere. It parses p and
// wants no scheme, host or user, a path beginning with exactly one '/',
// and no control byte or backslash anywhere (browsers drop tabs and line
// breaks from addresses and read '\\' as '/', so "/\t/evil" and
// "/\\evil" would leave the site); what it keeps is re-encoded from the
// parsed form, so that the Location header says what was checked.
func localPath(p string) string {
	if !safeBytes(p) {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || !safeBytes(u.Path) {
		return ""
	}
	out := u.RequestURI()
	// What RequestURI re-encoded must pass the same checks.
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || !safeBytes(out) {
		return ""
	}
	return out
}

// safeBytes reports whether s has no control byte, DEL or backslash.
func safeBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
