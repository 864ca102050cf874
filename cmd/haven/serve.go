package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/store"
)

// serveOptions configure `haven serve`, from flags with HAVEN_* defaults.
type serveOptions struct {
	listen    string
	tlsCert   string
	tlsKey    string
	demo      bool
	logFormat string
	logLevel  string
	poll      time.Duration
	// secureCookies marks cookies Secure without TLS here (behind a
	// TLS-terminating proxy).
	secureCookies bool
}

func newServeCmd(s streams, cfg *config) *cobra.Command {
	var opt serveOptions
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run the shared server: web UI, HMA-compatible hash API, /api/v1",
		Long: `Run Haven's server: the web UI, the hash API compatible with Meta's
hasher-matcher-actioner (/m/lookup, /h/hash, /c/banks, ...), Haven's own API
under /api/v1 (described at /api/v1/openapi.json), /status for load balancers
and /metrics for Prometheus.

The database is the embedded SQLite file in --data, or PostgreSQL with
--database; several servers may share one PostgreSQL database, each keeping
its index in memory and following the others' bank changes.

--demo seeds demonstration organisations, one user per role (printing their
one-time passwords), a partner API token and banks holding the hashes of the
sample images, then prints the URL to open. Running it again changes nothing
that exists.`,
		Example: `  haven serve --demo
  haven serve --listen :8443 --tls-cert cert.pem --tls-key key.pem --database postgres://haven@db/haven`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), s, cfg, opt)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opt.listen, "listen", envOr("HAVEN_LISTEN", "127.0.0.1:8080"), "address to listen on (env HAVEN_LISTEN)")
	f.StringVar(&opt.tlsCert, "tls-cert", os.Getenv("HAVEN_TLS_CERT"), "TLS certificate file (PEM); serves HTTPS with --tls-key (env HAVEN_TLS_CERT)")
	f.StringVar(&opt.tlsKey, "tls-key", os.Getenv("HAVEN_TLS_KEY"), "TLS private key file (PEM) (env HAVEN_TLS_KEY)")
	f.BoolVar(&opt.demo, "demo", envOr("HAVEN_DEMO", "") == "true" || envOr("HAVEN_DEMO", "") == "1", "seed demonstration organisations, users, a token and banks (env HAVEN_DEMO=true)")
	f.StringVar(&opt.logFormat, "log-format", envOr("HAVEN_LOG_FORMAT", "auto"), "log format: auto (text on a terminal, JSON otherwise), text or json (env HAVEN_LOG_FORMAT)")
	f.StringVar(&opt.logLevel, "log-level", envOr("HAVEN_LOG_LEVEL", "info"), "log level: debug (every request), info, warn or error (env HAVEN_LOG_LEVEL)")
	f.BoolVar(&opt.secureCookies, "secure-cookies", envOr("HAVEN_SECURE_COOKIES", "") == "true", "mark cookies Secure and send HSTS although this server speaks plain HTTP: behind a TLS-terminating proxy (env HAVEN_SECURE_COOKIES=true)")
	f.DurationVar(&opt.poll, "index-poll", 0, "how often the index polls the database for bank changes (default 1s on SQLite, 5s on PostgreSQL, which also notifies)")
	return cmd
}

// newLogger returns the server's logger on w.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("serve: unknown --log-level %q (debug, info, warn, error)", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "auto":
		if isTerminal(w) {
			return slog.New(slog.NewTextHandler(w, opts)), nil
		}
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef("serve: unknown --log-format %q (auto, text, json)", format)
}

func runServe(ctx context.Context, s streams, cfg *config, opt serveOptions) error {
	log, err := newLogger(s.err, opt.logFormat, opt.logLevel)
	if err != nil {
		return err
	}
	if (opt.tlsCert == "") != (opt.tlsKey == "") {
		return usagef("serve: give both --tls-cert and --tls-key, or neither")
	}
	db, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("store open", "database", db.String())
	node, err := startNode(ctx, db, nodeOptions{log: log, secure: opt.tlsCert != "" || opt.secureCookies, poll: opt.poll, dsn: cfg.database})
	if err != nil {
		return err
	}
	defer node.close()
	ln, err := net.Listen("tcp", opt.listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	url := serveURL(ln.Addr(), opt.tlsCert != "")
	if opt.demo {
		if err := seedDemo(ctx, node, s.out, url); err != nil {
			ln.Close()
			return err
		}
	}
	hs := &http.Server{
		Handler:           node.server.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of hash lists
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if opt.tlsCert != "" {
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	errc := make(chan error, 1)
	go func() {
		if opt.tlsCert != "" {
			errc <- hs.ServeTLS(ln, opt.tlsCert, opt.tlsKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	log.Info("serving", "url", url, "pdq_entries", node.follower.Status().PDQ)
	fmt.Fprintf(s.out, "Haven is serving at %s\n", url)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	if cerr := node.server.Close(sctx); cerr != nil {
		err = errors.Join(err, fmt.Errorf("flush audit records: %w", cerr))
	}
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}

// serveURL is the address to print: loopback when listening everywhere.
func serveURL(a net.Addr, tls bool) string {
	scheme := "http"
	if tls {
		scheme = "https"
	}
	host, port, _ := net.SplitHostPort(a.String())
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "127.0.0.1"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return scheme + "://" + host + ":" + port + "/"
}

// defaultPoll is how often a follower polls when nothing wakes it.
func defaultPoll(db *store.DB) time.Duration {
	if db.Dialect == store.Postgres {
		return 5 * time.Second
	}
	return time.Second
}
