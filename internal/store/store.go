package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Dialect names the database behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// FileName is the SQLite database file inside a data directory.
const FileName = "haven.db"

// DB is an open, migrated database.
type DB struct {
	Dialect Dialect
	// SQL is the pool for reads. On PostgreSQL it also serves writes; on
	// SQLite its connections are read-only: write through Tx or Exec.
	SQL *sql.DB
	// write is the single writer connection on SQLite, SQL on PostgreSQL.
	write *sql.DB
	// where names the database for messages, without credentials.
	where string
	// closePool releases what SQL is built on, when Close of SQL does not.
	closePool func()
}

// Open opens the database named by dsnOrDataDir and applies the pending
// migrations. A postgres:// or postgresql:// URL selects PostgreSQL; a path
// ending in ".db" is a SQLite file; anything else is a data directory, created
// if missing, holding the SQLite file FileName.
func Open(ctx context.Context, dsnOrDataDir string) (*DB, error) {
	var (
		db  *DB
		err error
	)
	switch {
	case dsnOrDataDir == "":
		return nil, errors.New("open store: no data directory or database URL")
	case strings.HasPrefix(dsnOrDataDir, "postgres://"), strings.HasPrefix(dsnOrDataDir, "postgresql://"):
		db, err = openPostgres(ctx, dsnOrDataDir)
	default:
		path := dsnOrDataDir
		if !strings.HasSuffix(path, ".db") {
			if err := os.MkdirAll(path, 0o700); err != nil {
				return nil, fmt.Errorf("open store: create data directory: %w", err)
			}
			path = filepath.Join(path, FileName)
		}
		db, err = openSQLite(ctx, path)
	}
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", db.where, err)
	}
	return db, nil
}

// String names the database without credentials.
func (db *DB) String() string { return db.where }

// Close closes the pools.
func (db *DB) Close() error {
	err := db.SQL.Close()
	if db.write != db.SQL {
		err = errors.Join(err, db.write.Close())
	}
	if db.closePool != nil {
		db.closePool()
	}
	return err
}

// Exec runs one writing statement outside an explicit transaction.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.write.ExecContext(ctx, query, args...)
}

// Tx runs fn in one transaction on the writer: committed when fn returns
// nil, rolled back when it returns an error, panics or ctx ends. fn must not
// use the DB's other methods (on SQLite the writer is a single connection,
// so a nested Tx or Exec would wait for ever); reads through db.SQL do not
// see fn's uncommitted writes.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
