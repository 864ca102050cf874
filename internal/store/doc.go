// Package store is Haven's SQL access: it opens the database, applies the
// migrations and runs transactions. SQLite (pure Go, WAL, one file under the
// data directory) is the embedded default; PostgreSQL, selected by a
// postgres:// URL, serves several Haven nodes sharing one database.
//
// Domain packages write hand SQL with $N placeholders that runs unchanged on
// both databases (CAST(x AS T), not x::T; no dialect-only functions). The
// few places where the dialects differ are behind DB.Dialect.
//
// Concurrency: a *DB is safe for concurrent use. On SQLite every write goes
// through one connection (SQLite allows one writer at a time; queueing in Go
// beats spinning on SQLITE_BUSY), while reads use a pool of read-only
// connections that see the last committed state (WAL snapshots), so a long
// read does not block writers and a long write does not block readers.
package store
