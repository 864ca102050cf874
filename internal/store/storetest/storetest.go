// Package storetest runs tests against every database Haven supports: a
// SQLite file in a temporary directory always, and PostgreSQL when it can.
//
// A test package that uses it calls Main from its TestMain. Main connects
// to the server named by HAVEN_TEST_POSTGRES (a postgres:// URL; "none"
// disables PostgreSQL) or else starts a throw-away cluster from the local
// PostgreSQL installation, and stops it when the tests end. Each test gets
// an empty database of its own (on PostgreSQL, a schema of its own).
//
// Where PostgreSQL is unavailable its subtests skip with the reason; when
// CI=true they fail instead, so that CI cannot pass without it.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenproject/haven/internal/store"
)

// EnvPostgres names the environment variable that points the tests at a
// PostgreSQL server instead of a throw-away cluster.
const EnvPostgres = "HAVEN_TEST_POSTGRES"

// The PostgreSQL server of this test binary, set up by Main.
var (
	pgURL     string // superuser URL; empty when unavailable
	pgMissing = "storetest.Main was not called from TestMain"
)

// Main sets PostgreSQL up, runs the tests and tears it down, also when
// tests fail. Use it as: func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }.
func Main(m *testing.M) int {
	var cluster *Cluster
	switch env := os.Getenv(EnvPostgres); env {
	case "none":
		pgMissing = EnvPostgres + "=none"
	case "":
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		c, err := StartCluster(ctx)
		cancel()
		if err != nil {
			pgMissing = "no PostgreSQL: " + err.Error()
			break
		}
		cluster, pgURL = c, c.URL
	default:
		pgURL = env
	}
	code := m.Run()
	if cluster != nil {
		if err := cluster.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "storetest: stop postgres: %v\n", err)
		}
	}
	return code
}

// PostgresURL is the superuser URL of this binary's PostgreSQL server, or
// "" when there is none. Child processes of a test can be given it in
// EnvPostgres so that they use the same server.
func PostgresURL() string { return pgURL }

// Each runs fn as a subtest on a fresh database of each dialect, closed
// when the subtest ends.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	EachDSN(t, func(t *testing.T, dsn string) {
		db, err := store.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
}

// EachDSN runs fn as a subtest named after each dialect with the address
// of a fresh, empty database, for tests that open it themselves (or in
// another process).
func EachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run(string(store.SQLite), func(t *testing.T) {
		fn(t, filepath.Join(t.TempDir(), "data"))
	})
	t.Run(string(store.Postgres), func(t *testing.T) {
		fn(t, PostgresDSN(t))
	})
}

// PostgresDSN creates an empty schema for t on the PostgreSQL server and
// returns a URL whose connections use it; the schema is dropped when t
// ends. Without a server it skips t, or fails it when CI=true.
func PostgresDSN(t *testing.T) string {
	t.Helper()
	if pgURL == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is required when CI=true: %s", pgMissing)
		}
		t.Skipf("skipping PostgreSQL: %s", pgMissing)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin(t, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { admin(t, "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(pgURL)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func admin(t *testing.T, stmt string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		t.Fatalf("connect to test postgres: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}
