package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds one directory per dialect. Both carry the same version
// numbers, so that a version means the same schema on either database.
//
//go:embed migrations
var migrations embed.FS

// migrate applies the pending migrations of db's dialect. On PostgreSQL an
// advisory lock keeps nodes starting together from migrating twice.
func migrate(ctx context.Context, db *DB) error {
	dir, err := fs.Sub(migrations, "migrations/"+string(db.Dialect))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	var (
		dialect = goose.DialectSQLite3
		opts    = []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	)
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.write, dir, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Version reports the schema version the database is at.
func (db *DB) Version(ctx context.Context) (int64, error) {
	var v int64
	err := db.SQL.QueryRowContext(ctx,
		`SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied = $1`, true).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}
