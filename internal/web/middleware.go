package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
)

// SessionCookie names the session cookie the UI sets at login.
const SessionCookie = "haven_session"

// reqState is what the middleware learns about a request, shared down and
// up the chain through the context.
type reqState struct {
	id        string
	server    *Server
	principal auth.Principal
	session   auth.Session
	viaCookie bool
	viaToken  bool
	remote    string
	// sw is the response writer every layer reads the status from.
	sw *statusWriter
	// Set by the route handler once the mux matched.
	pattern string
	action  auth.Action
	route   *routeMetrics
}

type stateKey struct{}

func stateFrom(r *http.Request) *reqState {
	st, _ := r.Context().Value(stateKey{}).(*reqState)
	return st
}

// RequestID returns the id the server gave the request ("" outside it).
func RequestID(r *http.Request) string {
	if st := stateFrom(r); st != nil {
		return st.id
	}
	return ""
}

// SessionFrom returns the session of a request authenticated by its
// session cookie (its CSRF token for forms to echo in field csrf_token).
func SessionFrom(ctx context.Context) (auth.Session, bool) {
	st, _ := ctx.Value(stateKey{}).(*reqState)
	if st == nil || !st.viaCookie {
		return auth.Session{}, false
	}
	return st.session, true
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverer turns a handler's panic into a logged 500, the one path that
// may answer 500: a bug, never an input.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.Error("handler panic", "panic", p, "path", r.URL.Path, "stack", string(debug.Stack()))
			Error(w, r, http.StatusInternalServerError, "internal error")
		}()
		next.ServeHTTP(w, r)
	})
}

// requestLog gives the request an id, sets the security headers, and logs
// it when done: errors and denials at Info, the rest at Debug (a matcher
// answering ten thousand lookups a second should not write as many lines).
func (s *Server) requestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &reqState{id: newRequestID(), server: s, remote: remoteAddr(r)}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		h := w.Header()
		for k, v := range securityHeaders {
			h[k] = v
		}
		if s.cfg.Secure {
			h["Strict-Transport-Security"] = hsts
		}
		h["X-Request-Id"] = []string{st.id}
		sw := &statusWriter{ResponseWriter: w}
		st.sw = sw
		start := time.Now()
		next.ServeHTTP(sw, r)
		level := slog.LevelDebug
		if sw.status >= 400 {
			level = slog.LevelInfo
		}
		if sw.status >= 500 {
			level = slog.LevelError
		}
		if !s.log.Enabled(r.Context(), level) {
			return
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("id", st.id), slog.String("method", r.Method), slog.String("route", st.pattern),
			slog.String("path", r.URL.Path), slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
			slog.Duration("took", time.Since(start)), slog.String("remote", st.remote),
			slog.String("user", st.principal.Name), slog.String("role", string(st.principal.Role)),
			slog.String("client_request_id", clientRequestID(r)))
	})
}

// securityHeaders go on every answer (shared slices: never modified).
var securityHeaders = http.Header{
	"Content-Security-Policy":    {"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
	"Referrer-Policy":            {"no-referrer"},
	"X-Content-Type-Options":     {"nosniff"},
	"X-Frame-Options":            {"DENY"},
	"Cross-Origin-Opener-Policy": {"same-origin"},
}

var hsts = []string{"max-age=31536000"}

// newRequestID makes the request's id. A client's own X-Request-Id is
// logged beside it, never used for it: it goes into the audit trail.
func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// clientRequestID is the client's X-Request-Id when short and plain, for
// the log.
func clientRequestID(r *http.Request) string {
	id := r.Header.Get("X-Request-Id")
	if len(id) > 64 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
		return ""
	}
	return id
}

// remoteAddr is the peer's address. Haven does not trust X-Forwarded-For:
// a proxy in front of it is configured there, not guessed here.
func remoteAddr(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// measure counts the request by route and status, and its latency.
func (s *Server) measure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		st := stateFrom(r)
		m := s.metrics.unmatched
		if st.route != nil {
			m = st.route
		}
		m.observe(st.sw.status, time.Since(start))
	})
}

// limit bounds the request body.
func (s *Server) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxBodyBytes {
			Error(w, r, http.StatusRequestEntityTooLarge, "request body too large")
			return
		}
		limit := s.cfg.MaxBodyBytes
		if r.URL.Path == "/login" {
			// Credentials are a few fields: no room to make the
			// password hashing or the form parser work for nothing.
			limit = maxLoginBytes
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
				Error(w, r, http.StatusUnsupportedMediaType, "log in with a plain form")
				return
			}
			if r.ContentLength > limit {
				Error(w, r, http.StatusRequestEntityTooLarge, "request body too large")
				return
			}
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// maxLoginBytes bounds a login form.
const maxLoginBytes = 64 << 10

// errNoAuth is the cause of a 401 for a credential no Authenticator knows.
var errNoAuth = errors.New("no authenticator configured")

// authenticate finds the principal: a Bearer token (an invalid one is
// refused at once) or else the session cookie (an invalid one is ignored:
// the request is anonymous and the UI sends it to the login page).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateFrom(r)
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, bearer, _ := strings.Cut(h, " ")
			bearer = strings.TrimSpace(bearer)
			if !strings.EqualFold(scheme, "Bearer") || bearer == "" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="haven"`)
				Error(w, r, http.StatusUnauthorized, "malformed Authorization header: want Bearer <token>")
				return
			}
			p, err := s.tokenPrincipal(r.Context(), bearer)
			if err != nil && !errors.Is(err, auth.ErrUnauthenticated) && !errors.Is(err, errNoAuth) {
				// The store did not answer: not the client's fault.
				s.log.Error("token check failed", "id", st.id, "err", err)
				Error(w, r, http.StatusServiceUnavailable, "cannot check the token now; try again")
				return
			}
			if err != nil {
				s.log.Info("token refused", "id", st.id, "remote", st.remote, "err", err)
				s.audit.add(&reqState{principal: auth.Principal{Name: "(unknown token)"}, remote: st.remote},
					"token.use", "Authorization header", audit.Denied)
				w.Header().Set("WWW-Authenticate", `Bearer realm="haven", error="invalid_token"`)
				Error(w, r, http.StatusUnauthorized, "invalid, expired or revoked token")
				return
			}
			st.principal, st.viaToken = p, true
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" && s.deps.Auth != nil {
			if p, sess, err := s.deps.Auth.SessionPrincipal(r.Context(), c.Value); err == nil && p.Authenticated() {
				st.principal, st.session, st.viaCookie = p, sess, true
			}
		}
		r = r.WithContext(WithPrincipal(r.Context(), st.principal))
		if !st.viaToken {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
		s.audit.tokenUse(st, st.sw.status)
	})
}

func (s *Server) tokenPrincipal(ctx context.Context, bearer string) (auth.Principal, error) {
	if p, ok := s.tokens.get(bearer); ok {
		return p, nil
	}
	if s.deps.Auth == nil {
		return auth.Principal{}, errNoAuth
	}
	p, err := s.deps.Auth.TokenPrincipal(ctx, bearer)
	if err != nil {
		return auth.Principal{}, err
	}
	if !p.Authenticated() {
		return auth.Principal{}, auth.ErrUnauthenticated
	}
	s.tokens.put(bearer, p)
	return p, nil
}

// routeHandler runs a route's handler behind the CSRF check and the role
// gate of its Action.
func (s *Server) routeHandler(rt Route, m *routeMetrics) http.Handler {
	pattern := rt.Method + " " + rt.Path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateFrom(r)
		if st == nil { // served without Handler(): only in tests of a bare mux
			st = &reqState{server: s}
			r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		}
		st.pattern, st.action, st.route = pattern, rt.Action, m
		// The gate comes first, so that a refused request's body is never
		// parsed (the CSRF check may parse a form).
		if err := auth.Decide(st.principal, rt.Action, auth.Resource{}); err != nil {
			// A token's refusals are in its batched use records.
			if st.principal.Authenticated() && !st.viaToken {
				s.audit.appendDecision(r, st, string(rt.Action), pattern, err)
			}
			s.deny(w, r, err)
			return
		}
		if st.viaCookie && st.principal.MustChangePassword && !allowedBeforePasswordChange(rt) {
			// A password someone else chose (a new account, a reset) is
			// replaced before anything else is done with the session.
			if r.Method == http.MethodGet && wantsHTML(r) {
				http.Redirect(w, r, "/account/password?first=1", http.StatusSeeOther)
				return
			}
			s.fail(w, r, http.StatusForbidden, "change your password first (/account/password)")
			return
		}
		if st.viaCookie && !safeMethod(r.Method) && !s.csrfOK(r, st) {
			s.audit.add(st, "csrf", pattern, audit.Denied)
			s.fail(w, r, http.StatusForbidden, "missing or invalid CSRF token")
			return
		}
		rt.Handler(w, r)
	})
}

// allowedBeforePasswordChange lists what a session that must change its
// password may reach: public routes (login, assets, status), the password
// change and logout.
func allowedBeforePasswordChange(rt Route) bool {
	return rt.Action == auth.Public || rt.Path == "/account/password" || rt.Path == "/logout"
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (s *Server) csrfOK(r *http.Request, st *reqState) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
			// In memory up to the body limit: uploads are never written
			// to disk. Handlers then read r.MultipartForm.
			r.ParseMultipartForm(s.cfg.MaxBodyBytes)
		}
		got = r.PostFormValue("csrf_token")
	}
	return auth.CheckCSRF(st.session, got)
}

// deny answers a refusal of auth.Decide: 401 without a principal, 403
// otherwise, with a message that names no object.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, auth.ErrUnauthenticated):
		if strings.HasPrefix(r.URL.Path, "/api/") || isHMAPath(r.URL.Path) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="haven"`)
		}
		s.fail(w, r, http.StatusUnauthorized, "authentication required")
	case errors.Is(err, errAudit):
		s.fail(w, r, http.StatusServiceUnavailable, "audit trail unavailable; nothing was done")
	default:
		s.fail(w, r, http.StatusForbidden, "access denied")
	}
}

func isHMAPath(p string) bool {
	return strings.HasPrefix(p, "/m/") || strings.HasPrefix(p, "/h/") || strings.HasPrefix(p, "/c/")
}

// fail answers an error: the UI's error page for a browser's page
// request, JSON otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if s.cfg.ErrorPage != nil && wantsHTML(r) {
		s.cfg.ErrorPage(w, r, status, msg)
		return
	}
	Error(w, r, status, msg)
}

func wantsHTML(r *http.Request) bool {
	p := r.URL.Path
	if strings.HasPrefix(p, "/api/") || isHMAPath(p) || p == "/metrics" || strings.HasPrefix(p, "/status") {
		return false
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
