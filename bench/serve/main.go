// Command serve measures Haven's server answering HMA-compatible PDQ
// lookups (GET /m/lookup) against a bank of random PDQ hashes, with a load
// generator in the same process on loopback: N concurrent keep-alive
// connections for a fixed time, on SQLite and on PostgreSQL. It prints a
// Markdown section for docs/benchmarks.md (see run.sh).
//
// The server is wired as `haven serve` wires it (auth.Service for the
// partner token, audit.Log for the token-use records, match.Follower for
// the index), minus the UI, which lookups do not touch.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
	"github.com/havenproject/haven/internal/web"
	"github.com/havenproject/haven/pdq"
)

type options struct {
	sizes    []int
	conns    int
	duration time.Duration
	warmup   time.Duration
	dbs      string
	dir      string
	pgURL    string
	hitRatio float64
	cpuprof  string
}

func main() {
	var o options
	sizes := flag.String("n", "1000000,1000", "PDQ hashes in the bank, comma-separated for several runs (a small bank shows the server's own cost)")
	flag.IntVar(&o.conns, "conns", 64, "concurrent keep-alive connections")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "measured time per database")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured load before")
	flag.StringVar(&o.dbs, "db", "sqlite,postgres", "databases to measure")
	flag.StringVar(&o.dir, "dir", filepath.Join(os.TempDir(), "haven-bench-serve"), "where the SQLite database is kept between runs")
	flag.StringVar(&o.pgURL, "pg", os.Getenv("HAVEN_TEST_POSTGRES"), "PostgreSQL URL (default: a throw-away cluster)")
	flag.Float64Var(&o.hitRatio, "hits", 0.5, "share of queries near a bank hash (the rest are random misses)")
	flag.StringVar(&o.cpuprof, "cpuprofile", "", "write a CPU profile of the measured load to this file")
	flag.Parse()
	for _, v := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "bench/serve: bad -n %q\n", v)
			os.Exit(2)
		}
		o.sizes = append(o.sizes, n)
	}
	if err := run(context.Background(), o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench/serve:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, w io.Writer) error {
	var results []result
	for _, name := range strings.Split(o.dbs, ",") {
		dsnFor, stop, err := database(ctx, name, o)
		if err != nil {
			return err
		}
		for _, n := range o.sizes {
			dsn, err := dsnFor(ctx, n)
			if err != nil {
				stop()
				return err
			}
			r, err := measureDB(ctx, name, dsn, n, o)
			if err != nil {
				stop()
				return fmt.Errorf("%s: %w", name, err)
			}
			results = append(results, r)
		}
		stop()
	}
	report(w, o, results)
	return nil
}

// database returns, for the named database, a func giving the DSN of a
// database of its own for each bank size (so that the index holds that
// bank only), and a func to release them.
func database(ctx context.Context, name string, o options) (func(context.Context, int) (string, error), func(), error) {
	switch name {
	case "sqlite":
		return func(_ context.Context, n int) (string, error) {
			return filepath.Join(o.dir, fmt.Sprintf("sqlite-%d", n)), nil
		}, func() {}, nil
	case "postgres":
		base, stop := o.pgURL, func() {}
		if base == "" {
			c, err := storetest.StartCluster(ctx)
			if err != nil {
				return nil, nil, err
			}
			base, stop = c.URL, func() { c.Stop() }
		}
		return func(ctx context.Context, n int) (string, error) {
			return pgDatabase(ctx, base, fmt.Sprintf("bench_%d", n))
		}, stop, nil
	}
	return nil, nil, fmt.Errorf("unknown database %q (sqlite, postgres)", name)
}

// pgDatabase creates the named database on the server at base unless it
// exists, and returns its URL.
func pgDatabase(ctx context.Context, base, name string) (string, error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			return "", err
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// measureDB seeds the database when needed, starts a server on it and
// loads it.
func measureDB(ctx context.Context, name, dsn string, n int, o options) (result, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return result{}, err
	}
	defer db.Close()
	banks := bank.NewService(db)
	t0 := time.Now()
	bankName := fmt.Sprintf("bench-%d", n)
	seeded, err := seed(ctx, banks, bankName, n)
	if err != nil {
		return result{}, err
	}
	if seeded {
		fmt.Fprintf(os.Stderr, "%s: imported %d hashes in %s\n", name, n, time.Since(t0).Round(time.Second))
	}
	authSvc := auth.NewService(db, auth.Options{})
	token, err := partnerToken(ctx, authSvc)
	if err != nil {
		return result{}, err
	}
	t0 = time.Now()
	follower, err := match.NewFollower(ctx, banks)
	if err != nil {
		return result{}, err
	}
	loadTime := time.Since(t0)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := web.New(web.Config{Logger: log}, web.Deps{DB: db, Banks: banks, Auth: authSvc, Audit: audit.New(db), Index: follower})
	bg, cancel := context.WithCancel(ctx)
	defer cancel()
	go follower.Run(bg, time.Second, nil)
	go srv.Run(bg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	queries, hashes, err := makeQueries(ctx, banks, bankName, 1<<16, o.hitRatio, "http://"+ln.Addr().String()+"/m/lookup?banks="+bankName+"&signal_type=pdq&signal=")
	if err != nil {
		return result{}, err
	}
	search := searchCost(follower.Index(), hashes)
	r := load(ctx, queries, token, o)
	r.search = search
	r.db, r.bankSize, r.indexLoad, r.entries = name, n, loadTime, follower.Status().PDQ
	return r, nil
}

// partnerToken returns a fresh token of a partner whose organisation the
// bench bank is shared with.
func partnerToken(ctx context.Context, a *auth.Service) (string, error) {
	if _, err := a.CreateOrg(ctx, "bench-platform", "Bench platform", auth.Partner); errors.Is(err, auth.ErrExists) {
		_, err = a.SetOrgRoles(ctx, "bench-platform", []auth.Role{auth.Partner}) // made by an older run
		if err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	tok, _, err := a.CreateToken(ctx, "bench-platform", fmt.Sprintf("bench-%d", time.Now().UnixNano()), time.Hour)
	return tok, err
}

// searchCost is the CPU time of one lookup in the index alone, on one
// goroutine, over the first 2000 queries: what the server cannot go
// below per request.
func searchCost(x *match.Index, hs []pdq.Hash) time.Duration {
	n := min(2000, len(hs))
	t0 := cpuTime()
	for _, h := range hs[:n] {
		x.Lookup(match.Query{Signal: signal.Signal{Kind: signal.PDQ, Value: h.String()}})
	}
	return (cpuTime() - t0) / time.Duration(n)
}
