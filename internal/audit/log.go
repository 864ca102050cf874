package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/store"
)

// Log appends to and reads the audit trail in a store. Its methods are safe
// for concurrent use, and several Logs (in several processes) may append to
// one database.
type Log struct {
	db  *store.DB
	now func() time.Time

	// Concurrent Appends are written in batches, one transaction each
	// (group commit): the chain head is locked once per batch rather than
	// once per record, which keeps audited requests from queueing on it.
	mu      sync.Mutex
	queue   []*request
	writing bool
}

type request struct {
	rec  Record
	err  error
	done chan struct{}
}

// maxBatch bounds the records written in one transaction.
const maxBatch = 512

// writeTimeout bounds a batch's transaction, which runs on behalf of
// several callers and so outlives any one caller's context.
const writeTimeout = 30 * time.Second

// New returns a Log on db.
func New(db *store.DB) *Log {
	return &Log{db: db, now: time.Now}
}

// Append adds r to the trail, setting its ID, Time, PrevHash and Hash (any
// values r has there are ignored). Fields are made valid UTF-8 and cut to
// a bounded length. It returns once the record is committed, or with ctx's
// error, in which case the record may still be written.
func (l *Log) Append(ctx context.Context, r Record) error {
	r.clean()
	req := &request{rec: r, done: make(chan struct{})}
	l.mu.Lock()
	l.queue = append(l.queue, req)
	lead := !l.writing
	l.writing = true
	l.mu.Unlock()
	if lead {
		// This caller writes one batch (which holds its own record), then
		// leaves any further ones to a goroutine.
		if l.writeBatch(context.WithoutCancel(ctx)) {
			go l.drain(context.WithoutCancel(ctx))
		}
	}
	select {
	case <-req.done:
		return req.err
	case <-ctx.Done():
		return fmt.Errorf("audit append: %w", ctx.Err())
	}
}

// drain writes batches until the queue is empty.
func (l *Log) drain(ctx context.Context) {
	for l.writeBatch(ctx) {
	}
}

// writeBatch writes up to maxBatch queued records in one transaction and
// reports whether more are queued; if none are, it clears l.writing.
func (l *Log) writeBatch(ctx context.Context) (more bool) {
	l.mu.Lock()
	n := min(len(l.queue), maxBatch)
	batch := l.queue[:n:n]
	l.queue = l.queue[n:]
	l.mu.Unlock()
	if n > 0 {
		ctx, cancel := context.WithTimeout(ctx, writeTimeout)
		err := l.insert(ctx, batch)
		cancel()
		if err != nil {
			err = fmt.Errorf("audit append: %w", err)
		}
		for _, req := range batch {
			req.err = err
			close(req.done)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.queue) == 0 {
		l.writing = false
		return false
	}
	return true
}

// AppendAll adds recs to the trail in one transaction, in order: all or
// none. It is Append for a caller that already holds a batch (a flush of
// aggregated records); recs' IDs, times and hashes are set as Append sets
// them.
func (l *Log) AppendAll(ctx context.Context, recs []Record) error {
	batch := make([]*request, len(recs))
	for i, r := range recs {
		r.clean()
		batch[i] = &request{rec: r}
	}
	for len(batch) > 0 {
		n := min(len(batch), maxBatch)
		if err := l.insert(ctx, batch[:n]); err != nil {
			return fmt.Errorf("audit append: %w", err)
		}
		batch = batch[n:]
	}
	return nil
}

// insertRows is the most records one INSERT statement writes.
const insertRows = 64

// insert chains and writes batch under the lock of the chain head.
func (l *Log) insert(ctx context.Context, batch []*request) error {
	lock := ""
	if l.db.Dialect == store.Postgres {
		lock = " FOR UPDATE"
	}
	return l.db.Tx(ctx, func(tx *sql.Tx) error {
		var (
			lastID   int64
			lastHash string
		)
		if err := tx.QueryRowContext(ctx, `SELECT last_id, last_hash FROM audit_head WHERE id = 1`+lock).Scan(&lastID, &lastHash); err != nil {
			return fmt.Errorf("chain head: %w", err)
		}
		// Times are taken under the lock, so that they rise along the
		// chain as far as the nodes' clocks agree.
		now := l.now().UTC().Truncate(time.Microsecond)
		for _, req := range batch {
			r := &req.rec
			lastID++
			r.ID, r.Time, r.PrevHash = lastID, now, lastHash
			r.Hash = r.ComputeHash()
			lastHash = r.Hash
		}
		for rows := batch; len(rows) > 0; {
			n := min(len(rows), insertRows)
			if err := insertRecords(ctx, tx, l.db.Dialect, rows[:n]); err != nil {
				return err
			}
			rows = rows[n:]
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1`, lastID, lastHash); err != nil {
			return fmt.Errorf("chain head: %w", err)
		}
		return nil
	})
}

// insertRecords writes rows with one multi-row INSERT. SQLite gets "?"
// placeholders: it looks "$N" up by name, linearly, which made a statement
// of hundreds of them cost more to prepare than to run.
func insertRecords(ctx context.Context, tx *sql.Tx, dialect store.Dialect, rows []*request) error {
	const cols = 12
	var q strings.Builder
	q.WriteString(`INSERT INTO audit_log (id, at, actor, org, role, action, object, result, remote, detail, prev_hash, hash) VALUES `)
	args := make([]any, 0, cols*len(rows))
	for i, req := range rows {
		r := &req.rec
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for c := range cols {
			if c > 0 {
				q.WriteString(", ")
			}
			if dialect == store.SQLite {
				q.WriteByte('?')
			} else {
				fmt.Fprintf(&q, "$%d", i*cols+c+1)
			}
		}
		q.WriteByte(')')
		args = append(args, r.ID, r.Time, r.Actor, r.Org, r.Role, r.Action, r.Object, r.Result, r.Remote, r.Detail, r.PrevHash, r.Hash)
	}
	if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
		return fmt.Errorf("insert records %d to %d: %w", rows[0].rec.ID, rows[len(rows)-1].rec.ID, err)
	}
	return nil
}

// Head returns the ID and hash of the newest record (0 and GenesisHash for
// an empty trail), as the chain head records them.
func (l *Log) Head(ctx context.Context) (int64, string, error) {
	var (
		id   int64
		hash string
	)
	if err := l.db.SQL.QueryRowContext(ctx, `SELECT last_id, last_hash FROM audit_head WHERE id = 1`).Scan(&id, &hash); err != nil {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	return id, hash, nil
}
