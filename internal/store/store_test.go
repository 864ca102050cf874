package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// latestVersion is the highest migration version on disk, the same for
// both dialects (TestSchemasAgree checks the tables).
func latestVersion(t *testing.T, dialect store.Dialect) int64 {
	t.Helper()
	files, err := os.ReadDir(filepath.Join("migrations", string(dialect)))
	if err != nil {
		t.Fatal(err)
	}
	var latest int64
	for _, f := range files {
		prefix, _, _ := strings.Cut(f.Name(), "_")
		v, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil {
			t.Fatalf("migration %s: %v", f.Name(), err)
		}
		latest = max(latest, v)
	}
	return latest
}

func TestMigrationVersionsMatch(t *testing.T) {
	if a, b := latestVersion(t, store.SQLite), latestVersion(t, store.Postgres); a != b {
		t.Errorf("latest migration: sqlite %d, postgres %d", a, b)
	}
}

func TestOpenMigrates(t *testing.T) {
	want := latestVersion(t, store.SQLite)
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		for range 2 { // the second open finds nothing to do
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			v, err := db.Version(ctx)
			if err != nil || v != want {
				t.Errorf("version = %d, %v; want %d", v, err, want)
			}
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		}
	})
}

func TestOpenDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := store.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Dialect != store.SQLite {
		t.Errorf("dialect %s", db.Dialect)
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		t.Error(err)
	}
	var mode string
	if err := db.SQL.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q, %v", mode, err)
	}
	var fk int
	if err := db.SQL.QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys %d, %v", fk, err)
	}
}

func TestOpenBadURL(t *testing.T) {
	_, err := store.Open(t.Context(), "postgres://user:secret@[bad")
	if err == nil || bytes.Contains([]byte(err.Error()), []byte("secret")) {
		t.Errorf("err = %v", err)
	}
}

func insertBank(ctx context.Context, tx *sql.Tx, name string) error {
	now := time.Now().UTC()
	_, err := tx.ExecContext(ctx, `INSERT INTO banks (name, kind, created_at, updated_at) VALUES ($1, $2, $3, $4)`,
		name, "positive", now, now)
	return err
}

func countBanks(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM banks`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTx(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return insertBank(ctx, tx, "a") }); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if err := insertBank(ctx, tx, "b"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("err = %v", err)
		}
		func() {
			defer func() { recover() }()
			db.Tx(ctx, func(tx *sql.Tx) error {
				insertBank(ctx, tx, "c")
				panic("boom")
			})
		}()
		err = db.Tx(ctx, func(tx *sql.Tx) error { return insertBank(ctx, tx, "a") })
		if !store.IsUniqueViolation(err) {
			t.Errorf("duplicate name: %v", err)
		}
		if n := countBanks(t, db); n != 1 {
			t.Errorf("%d banks, want 1", n)
		}
	})
}

// TestReadDuringWrite checks that readers see the last commit while a
// write transaction is open, without waiting for it.
func TestReadDuringWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if err := insertBank(ctx, tx, "x"); err != nil {
				return err
			}
			if n := countBanks(t, db); n != 0 {
				t.Errorf("reader sees %d uncommitted banks", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := countBanks(t, db); n != 1 {
			t.Errorf("%d banks after commit", n)
		}
	})
}

// TestTypes checks that the column types map to the same Go values on
// both databases: times, nullable booleans, bytes, JSON text.
func TestTypes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		at := time.Date(2024, 2, 29, 23, 59, 58, 123456000, time.UTC)
		value := []byte{0, 1, 0xfe, 0xff}
		extra := `{"z":1,"a":[true]}`
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if err := insertBank(ctx, tx, "t"); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO entries (bank_id, kind, value, added_at, seq, victim_identified, self_generated, extra, tags)
				VALUES ((SELECT id FROM banks WHERE name = $1), $2, $3, $4, $5, $6, $7, $8, $9)`,
				"t", "md5", value, at, 1, true, nil, extra, `["a"]`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var (
			gotAt        time.Time
			gotValue     []byte
			victim, self sql.NullBool
			gotExtra     sql.NullString
			gotTags      sql.NullString
			withdrawnAt  sql.NullTime
			castedSeq    int64
		)
		err = db.SQL.QueryRowContext(ctx, `SELECT added_at, value, victim_identified, self_generated, extra, tags, withdrawn_at, CAST(seq AS BIGINT)
			FROM entries WHERE kind = $1 AND value = $2 AND withdrawn_at IS NULL`, "md5", value).
			Scan(&gotAt, &gotValue, &victim, &self, &gotExtra, &gotTags, &withdrawnAt, &castedSeq)
		if err != nil {
			t.Fatal(err)
		}
		if !gotAt.Equal(at) || !bytes.Equal(gotValue, value) || victim != (sql.NullBool{Bool: true, Valid: true}) ||
			self.Valid || gotExtra.String != extra || gotTags.String != `["a"]` || withdrawnAt.Valid || castedSeq != 1 {
			t.Errorf("got %v %x %v %v %q %q %v %d", gotAt, gotValue, victim, self, gotExtra.String, gotTags.String, withdrawnAt, castedSeq)
		}
	})
}
