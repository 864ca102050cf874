package ui

import (
	"net/http"

	"github.com/havenproject/haven/internal/web"
)

// csrfToken returns the token the request's session expects in every
// form's csrf_token field, or "" without a session (the server found it
// when it authenticated the request).
func (u *ui) csrfToken(r *http.Request) string {
	if sess, ok := web.SessionFrom(r.Context()); ok {
		return sess.CSRF
	}
	return ""
}
