package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/web"
)

// nodeOptions tune one server node.
type nodeOptions struct {
	log    *slog.Logger
	secure bool
	// poll is the index follower's poll interval (0: defaultPoll).
	poll time.Duration
	// dsn is the PostgreSQL URL to LISTEN on for other nodes' changes
	// ("" on SQLite).
	dsn string
	// authOptions tune the auth service (tests lower the hashing cost).
	authOptions auth.Options
}

// node is one Haven server over a store: services, the followed index,
// the HTTP server with every route (API and UI), and their background
// work. Tests build it the same way `haven serve` does.
type node struct {
	db       *store.DB
	banks    *bank.Service
	auth     *auth.Service
	audit    *audit.Log
	follower *match.Follower
	server   *web.Server

	stop func()
	wg   sync.WaitGroup
}

// startNode loads the index and starts the background work (the index
// follower, the PostgreSQL listener, the audit batcher) until close.
func startNode(ctx context.Context, db *store.DB, opt nodeOptions) (*node, error) {
	if opt.log == nil {
		opt.log = slog.Default()
	}
	n := &node{db: db, banks: bank.NewService(db), auth: auth.NewService(db, opt.authOptions)}
	start := time.Now()
	var err error
	if n.follower, err = match.NewFollower(ctx, n.banks); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	opt.log.Info("index loaded", "pdq_entries", n.follower.Status().PDQ, "took", time.Since(start).Round(time.Millisecond))
	n.audit = newAuditor(db)
	n.server = newServer(web.Config{Logger: opt.log, Secure: opt.secure}, web.Deps{
		DB: db, Banks: n.banks, Auth: n.auth, Audit: n.audit, Index: n.follower,
	}, n.auth, n.audit)
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n.stop = cancel
	poll := opt.poll
	if poll <= 0 {
		poll = defaultPoll(db)
	}
	logErr := func(what string) func(error) {
		return func(err error) { opt.log.Warn(what, "err", err) }
	}
	n.wg.Go(func() { n.follower.Run(bg, poll, logErr("index sync failed")) })
	if db.Dialect == store.Postgres && opt.dsn != "" {
		n.wg.Go(func() { match.ListenPostgres(bg, opt.dsn, n.follower.Wake, logErr("listen for bank changes")) })
	}
	n.wg.Go(func() { n.server.Run(bg) })
	n.wg.Go(func() { purgeSessions(bg, n.auth, opt.log) })
	return n, nil
}

// purgeSessions deletes expired sessions and stale failed-login counts
// every hour.
func purgeSessions(ctx context.Context, a *auth.Service, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := a.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
				log.Warn("purge sessions", "err", err)
			}
		}
	}
}

// close stops the background work (flushing the audit batch) and waits
// for the auth service's last writes; the store may be closed after.
func (n *node) close() {
	n.stop()
	n.wg.Wait()
	n.auth.Close()
}

// changed tells this node's index and the other nodes that banks changed.
func (n *node) changed(ctx context.Context) {
	if err := match.NotifyChange(ctx, n.db); err != nil {
		slog.Warn("notify other nodes", "err", err)
	}
	if err := n.follower.Sync(ctx); err != nil {
		slog.Warn("sync index", "err", err)
	}
}
