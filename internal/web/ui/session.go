package ui

import "net/http"

// csrfToken returns the token the request's session expects in every
// form's csrf_token field, or "" without a session.
func (u *ui) csrfToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || u.Auth == nil {
		return ""
	}
	_, sess, err := u.Auth.SessionPrincipal(r.Context(), c.Value)
	if err != nil {
		return ""
	}
	return sess.CSRF
}
