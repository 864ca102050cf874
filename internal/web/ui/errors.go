package ui

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
)

// errorPage holds what the error template shows.
type errorPage struct {
	Status int
	Text   string
	Detail string
}

// statusTexts say in plain words what each status means for the person
// reading.
var statusTexts = map[int]string{
	http.StatusBadRequest:            "The request could not be understood.",
	http.StatusForbidden:             "You do not have access to this page or object. If you need it, ask an administrator of your organisation.",
	http.StatusNotFound:              "There is nothing here. The address may be mistyped, or the object was removed.",
	http.StatusMethodNotAllowed:      "This page does not accept that kind of request.",
	http.StatusRequestEntityTooLarge: "The upload is larger than this server accepts.",
	http.StatusTooManyRequests:       "Too many requests. Wait a moment and try again.",
	http.StatusInternalServerError:   "Something went wrong on the server. It has been logged; try again, and tell the operator if it persists.",
	http.StatusServiceUnavailable:    "The server cannot do this now: what it does must be recorded in its audit trail, and the trail or its database is unavailable. Nothing was done; try again later.",
}

// ErrorPage writes an HTML error page for status, with msg as detail.
// The server calls it (Config.ErrorPage) for browsers; a 401 on a GET
// redirects to the login page instead, returning there afterwards.
func ErrorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	defaultUI().errorPage(w, r, status, msg)
}

// defaultUI renders ErrorPage, which the server calls without Deps. It is
// made at first use, so that commands other than serve parse no templates.
var defaultUI = sync.OnceValue(func() *ui {
	u, err := newUI(Deps{})
	if err != nil {
		panic(err)
	}
	return u
})

func (u *ui) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if status == http.StatusUnauthorized && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
		return
	}
	text := statusTexts[status]
	if text == "" {
		text = http.StatusText(status)
	}
	if status >= 500 {
		msg = "" // details of server faults go to the log, not the page
	}
	v := u.newView(r, fmt.Sprintf("%d %s", status, http.StatusText(status)), errorPage{Status: status, Text: text, Detail: msg})
	u.render(w, r, status, "error", v)
}

// fail logs err and answers 500.
func (u *ui) fail(w http.ResponseWriter, r *http.Request, err error) {
	u.Logger.ErrorContext(r.Context(), "ui: request failed", slog.String("path", r.URL.Path), slog.Any("err", err))
	if _, ok := u.pages["error"]; !ok {
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	u.errorPage(w, r, http.StatusInternalServerError, "")
}

// fromError answers with the page that suits err: 403 for a refusal of
// the policy, 404 for a missing object, 400 for invalid input, 500 else.
func (u *ui) fromError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, auth.ErrUnauthenticated):
		u.errorPage(w, r, http.StatusUnauthorized, "")
	case errors.Is(err, auth.ErrDenied):
		u.errorPage(w, r, http.StatusForbidden, "")
	case errors.Is(err, bank.ErrNotFound), errors.Is(err, auth.ErrNotFound):
		u.errorPage(w, r, http.StatusNotFound, "")
	case errors.Is(err, bank.ErrInvalid):
		u.errorPage(w, r, http.StatusBadRequest, err.Error())
	case errors.Is(err, errNotRecorded):
		u.Logger.ErrorContext(r.Context(), "ui: refused, not recorded", slog.String("path", r.URL.Path), slog.Any("err", err))
		u.errorPage(w, r, http.StatusServiceUnavailable, "")
	default:
		u.fail(w, r, err)
	}
}
