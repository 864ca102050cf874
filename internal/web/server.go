package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/store"
)

// Config tunes the server. The zero value is usable.
type Config struct {
	// Logger receives one line per request and the server's errors
	// (default slog.Default()).
	Logger *slog.Logger
	// MaxBodyBytes bounds every request body (default 64 MiB: uploads to
	// hash and hash lists to import); MaxJSONBytes bounds a JSON body
	// (default 1 MiB).
	MaxBodyBytes int64
	MaxJSONBytes int64
	// TokenCacheTTL is how long the server trusts an authenticated API
	// token without asking Auth again (0: no cache of its own; auth.Service
	// caches tokens itself). A revoked token works until it expires.
	TokenCacheTTL time.Duration
	// AuditFlush is how often batched token-use records are written
	// (default 1 s).
	AuditFlush time.Duration
	// Secure marks cookies Secure and sends HSTS (serving over TLS).
	Secure bool
	// ErrorPage, when set, renders errors for browser requests (not under
	// /api/, /m/, /h/, /c/) as HTML; JSON otherwise.
	ErrorPage func(w http.ResponseWriter, r *http.Request, status int, msg string)
	// MaxUploadPixels bounds the decoded size of an uploaded image to hash
	// (default 50 megapixels); HashConcurrency the uploads decoded at once
	// (default GOMAXPROCS; others wait).
	MaxUploadPixels int64
	HashConcurrency int
	// UploadRate and UploadBurst limit each token's or user's uploads to
	// hash (default 10 a second, 20 at once; negative rate: no limit).
	UploadRate  float64
	UploadBurst int
	// StaleAfter is the index lag after which /status reports
	// INDEX-STALE with 503 (default 65 s, as HMA).
	StaleAfter time.Duration
}

func (c *Config) defaults() {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 64 << 20
	}
	if c.MaxJSONBytes <= 0 {
		c.MaxJSONBytes = 1 << 20
	}
	if c.AuditFlush <= 0 {
		c.AuditFlush = time.Second
	}
	if c.MaxUploadPixels <= 0 {
		c.MaxUploadPixels = 50_000_000
	}
	if c.HashConcurrency <= 0 {
		c.HashConcurrency = runtime.GOMAXPROCS(0)
	}
	if c.UploadRate == 0 {
		c.UploadRate = 10
	}
	if c.UploadBurst <= 0 {
		c.UploadBurst = 20
	}
	if c.StaleAfter <= 0 {
		c.StaleAfter = 65 * time.Second
	}
}

// Authenticator turns a session cookie or an API token into a principal;
// *auth.Service is one. Both return an error for an unknown, expired or
// revoked credential; the server answers 401 for every such error (never
// 500).
type Authenticator interface {
	// SessionPrincipal returns the principal of a session cookie value
	// and the session (its CSRF token).
	SessionPrincipal(ctx context.Context, cookie string) (auth.Principal, auth.Session, error)
	// TokenPrincipal returns the principal of a bearer token.
	TokenPrincipal(ctx context.Context, bearer string) (auth.Principal, error)
}

// Auditor appends records to the audit trail; *audit.Log is one. Append
// must be safe for concurrent use.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// Deps are what the handlers work on. Banks and Index are required; a nil
// Auth authenticates nobody, a nil Audit records nothing (tests only).
type Deps struct {
	DB    *store.DB
	Banks *bank.Service
	Auth  Authenticator
	Audit Auditor
	Index *match.Follower
}

// Server is Haven's HTTP server: a routing table, the middleware every
// request passes, and the built-in routes (status, metrics, the
// HMA-compatible API and /api/v1).
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	mux     *http.ServeMux
	mu      sync.Mutex // guards routes during Handle
	routes  []Route
	metrics *metrics
	tokens  *tokenCache
	audit   *auditBatcher
	started time.Time
	// hashing bounds concurrent decodes of uploads; uploads limits their
	// rate per principal.
	hashing chan struct{}
	uploads *rateLimiter
}

// New returns a server with the built-in routes registered. Call Close
// when done, to flush the audit records still batched.
func New(cfg Config, deps Deps) *Server {
	cfg.defaults()
	s := &Server{cfg: cfg, deps: deps, log: cfg.Logger, mux: http.NewServeMux(), started: time.Now()}
	s.metrics = newMetrics()
	s.tokens = newTokenCache(cfg.TokenCacheTTL)
	s.audit = newAuditBatcher(deps.Audit, cfg.AuditFlush, s.log)
	s.hashing = make(chan struct{}, cfg.HashConcurrency)
	s.uploads = newRateLimiter(cfg.UploadRate, cfg.UploadBurst)
	s.Handle(s.statusRoutes()...)
	s.Handle(s.hmaRoutes()...)
	s.Handle(s.apiRoutes()...)
	return s
}

// Handle adds routes to the table. It panics on a route without an Action
// or with a pattern ServeMux refuses, as ServeMux does: both are
// programming errors found at start-up.
func (s *Server) Handle(routes ...Route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rt := range routes {
		if rt.Action == "" || rt.Handler == nil || rt.Method == "" {
			panic(fmt.Sprintf("web: route %s %s needs a method, an action and a handler", rt.Method, rt.Path))
		}
		pattern := rt.Method + " " + rt.Path
		s.mux.Handle(pattern, s.routeHandler(rt, s.metrics.route(pattern)))
		s.routes = append(s.routes, rt)
	}
}

// Routes returns the routing table, sorted by path then method.
func (s *Server) Routes() []Route {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.routes)
	slices.SortFunc(out, func(a, b Route) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return out
}

// Handler returns the server's handler: the middleware chain around the
// routing table.
func (s *Server) Handler() http.Handler {
	return s.recoverer(s.requestLog(s.measure(s.limit(s.authenticate(http.HandlerFunc(s.dispatch))))))
}

// Run starts the server's background work (the audit batcher) until ctx
// ends.
func (s *Server) Run(ctx context.Context) { s.audit.run(ctx) }

// Close flushes the batched audit records.
func (s *Server) Close(ctx context.Context) error { return s.audit.flush(ctx) }

// dispatch hands the request to its route. ServeMux answers unknown paths
// and methods itself, in text; muxErrors rewrites those answers in JSON
// (keeping the status and the Allow header).
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	st := stateFrom(r)
	s.mux.ServeHTTP(&muxErrors{ResponseWriter: w, s: s, r: r, st: st}, r)
}

// muxErrors catches the errors ServeMux writes before any route runs.
type muxErrors struct {
	http.ResponseWriter
	s         *Server
	r         *http.Request
	st        *reqState
	swallowed bool
}

func (m *muxErrors) WriteHeader(code int) {
	if m.st == nil || m.st.pattern != "" || code < 400 {
		m.ResponseWriter.WriteHeader(code)
		return
	}
	m.swallowed = true
	msg := "no such route"
	if code == http.StatusMethodNotAllowed {
		msg = "method " + m.r.Method + " not allowed"
	}
	m.s.fail(m.ResponseWriter, m.r, code, msg)
}

func (m *muxErrors) Write(b []byte) (int, error) {
	if m.swallowed {
		return len(b), nil
	}
	return m.ResponseWriter.Write(b)
}

func (m *muxErrors) Unwrap() http.ResponseWriter { return m.ResponseWriter }
