package ui

import "net/http"

// csrfToken returns the token the request's session expects in every
// form's csrf_token field, or "" without a session.
func (u *ui) csrfToken(r *http.Request) string {
	return ""
}
