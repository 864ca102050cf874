package store_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// TestSchemasAgree checks that the two dialects' migrations give the same
// tables, with the same columns in the same order.
func TestSchemasAgree(t *testing.T) {
	ctx := t.Context()
	lite, err := store.Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := store.Open(ctx, storetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	tables := columns(ctx, t, lite, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> $1 ORDER BY name`, "goose_db_version")
	pgTables := columns(ctx, t, pg, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name <> $1 ORDER BY table_name`, "goose_db_version")
	if !reflect.DeepEqual(tables, pgTables) {
		t.Errorf("tables:\nsqlite   %v\npostgres %v", tables, pgTables)
	}
	for _, table := range tables {
		a := columns(ctx, t, lite, `SELECT name FROM pragma_table_info($1) ORDER BY cid`, table)
		b := columns(ctx, t, pg, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
		if len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("%s:\nsqlite   %v\npostgres %v", table, a, b)
		}
	}
}

func columns(ctx context.Context, t *testing.T, db *store.DB, query, arg string) []string {
	t.Helper()
	rows, err := db.SQL.QueryContext(ctx, query, arg)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return cols
}
