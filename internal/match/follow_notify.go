package match

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenproject/haven/internal/store"
)

// NotifyChannel is the PostgreSQL channel on which Haven nodes announce
// bank changes, so that the other nodes' followers sync at once rather than
// at their next poll.
//
// The notification is sent by the process that made the change
// (NotifyChange, after its transaction committed), not by a trigger: a
// trigger would fire once per inserted row (a million for a large import)
// unless written as a statement trigger on each table, and it would live
// in the migrations, which every dialect must mirror. A change made by a
// process that does not notify (an old binary, a manual SQL session) is
// still picked up by the followers' periodic poll.
const NotifyChannel = "haven_bank_changes"

// NotifyChange tells the other nodes on db that banks changed. On SQLite,
// where all nodes are one process reading one file, it does nothing.
func NotifyChange(ctx context.Context, db *store.DB) error {
	if db.Dialect != store.Postgres {
		return nil
	}
	if _, err := db.SQL.ExecContext(ctx, `SELECT pg_notify($1, '')`, NotifyChannel); err != nil {
		return fmt.Errorf("notify bank change: %w", err)
	}
	return nil
}

// ListenPostgres listens on NotifyChannel of the PostgreSQL database at
// dsn and calls wake for every notification, and once after every
// (re)connection (notifications sent while disconnected are lost). It
// reconnects after errors, reporting them through onError, until ctx ends;
// then it returns nil.
func ListenPostgres(ctx context.Context, dsn string, wake func(), onError func(error)) error {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := listenOnce(ctx, dsn, wake)
		if ctx.Err() != nil {
			break
		}
		if onError != nil {
			onError(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
	return nil
}

func listenOnce(ctx context.Context, dsn string, wake func()) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("listen for bank changes: connect: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		return fmt.Errorf("listen for bank changes: %w", err)
	}
	wake()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("listen for bank changes: %w", err)
		}
		wake()
	}
}
