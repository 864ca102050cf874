package bank

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/store"
)

// insertCols are the columns an import writes, in order.
var insertCols = []string{
	"bank_id", "kind", "value", "value_text", "quality", "category_scheme", "category_value", "series",
	"victim_identified", "offender_identified", "self_generated", "distributed",
	"source_id", "tags", "added_by", "added_at", "seq", "extra",
}

// maxBatch keeps a statement's parameters under SQLite's limit (32766;
// PostgreSQL allows 65535).
const maxBatch = 32766 / 18

// inserter writes entries in multi-row INSERTs, reusing its argument
// buffer so that memory stays flat whatever the input size.
type inserter struct {
	tx    *sql.Tx
	ref   bankRef
	size  int
	args  []any
	rows  int
	stmts map[int]string // statement text by row count
	// anonymous writes "?" placeholders instead of "$N": the SQLite
	// driver looks each parameter's name up in a list as long as the
	// statement's, which made 18,000-parameter statements with $N
	// quadratically slow (minutes per batch).
	anonymous bool
	written   int64 // rows inserted since the last take
	dups      int64 // rows skipped as duplicates since the last take
}

func newInserter(tx *sql.Tx, dialect store.Dialect, ref bankRef, size int) *inserter {
	return &inserter{tx: tx, ref: ref, size: size, args: make([]any, 0, size*len(insertCols)), stmts: map[int]string{},
		anonymous: dialect == store.SQLite}
}

func (in *inserter) pending() int { return in.rows }

func (in *inserter) take() (inserted, dups int64) {
	inserted, dups = in.written, in.dups
	in.written, in.dups = 0, 0
	return inserted, dups
}

// add queues e, flushing when the batch is full.
func (in *inserter) add(ctx context.Context, e *Entry) error {
	key, text, err := encodeValue(e.Signal)
	if err != nil {
		return err
	}
	var tags, extra any
	if len(e.Tags) > 0 {
		b, err := json.Marshal(e.Tags)
		if err != nil {
			return err
		}
		tags = string(b)
	}
	if len(e.Extra) > 0 {
		extra = string(e.Extra)
	}
	var quality any
	if e.Quality != nil {
		quality = int64(*e.Quality)
	}
	in.args = append(in.args, in.ref.id, string(e.Signal.Kind), key, text, quality,
		string(e.Category.Scheme), e.Category.Value, e.Series,
		nullBool(e.VictimIdentified), nullBool(e.OffenderIdentified), nullBool(e.SelfGenerated), nullBool(e.Distributed),
		e.SourceID, tags, e.AddedBy, e.AddedAt, in.ref.seq, extra)
	in.rows++
	if in.rows == in.size {
		return in.flush(ctx)
	}
	return nil
}

// flush writes the queued rows. A row whose hash is already active in the
// bank is skipped (ON CONFLICT DO NOTHING on the partial unique index).
func (in *inserter) flush(ctx context.Context) error {
	if in.rows == 0 {
		return nil
	}
	res, err := in.tx.ExecContext(ctx, in.statement(in.rows), in.args...)
	if err != nil {
		return fmt.Errorf("insert %d entries: %w", in.rows, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("insert %d entries: %w", in.rows, err)
	}
	in.written += n
	in.dups += int64(in.rows) - n
	clear(in.args) // drop references to this batch's values
	in.args, in.rows = in.args[:0], 0
	return nil
}

// statement returns the INSERT for rows rows; there are at most two
// distinct ones per import (full batches and the last), so drivers that
// cache prepared statements reuse them.
func (in *inserter) statement(rows int) string {
	if q, ok := in.stmts[rows]; ok {
		return q
	}
	var b strings.Builder
	b.WriteString("INSERT INTO entries (" + strings.Join(insertCols, ", ") + ") VALUES ")
	n := 1
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range insertCols {
			if c > 0 {
				b.WriteByte(',')
			}
			if in.anonymous {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(n))
			}
			n++
		}
		b.WriteByte(')')
	}
	b.WriteString(" ON CONFLICT DO NOTHING")
	q := b.String()
	in.stmts[rows] = q
	return q
}

// nullBool maps "not stated" to NULL.
func nullBool(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

// withdraw applies a tombstone from the source: it withdraws the bank's
// active entries with e's hash, or with e's source id when the source names
// entries by id (NCMEC's tombstones carry no hash). by is recorded when the
// tombstone names nobody.
func (in *inserter) withdraw(ctx context.Context, e *Entry, by string) (int64, error) {
	var key []byte
	if e.Signal.Kind != "" {
		sig, err := normalize(e.Signal)
		if err != nil {
			return 0, err
		}
		if key, _, err = encodeValue(sig); err != nil {
			return 0, err
		}
		e.Signal = sig
	}
	if key == nil && e.SourceID == "" {
		return 0, fmt.Errorf("%w: a tombstone names neither a hash nor a source id", ErrInvalid)
	}
	if e.WithdrawnBy != "" {
		by = e.WithdrawnBy
	}
	reason := e.WithdrawnReason
	if reason == "" {
		reason = "withdrawn by the source"
	}
	if err := errors.Join(checkText(by), checkText(reason), checkText(e.SourceID)); err != nil {
		return 0, err
	}
	res, err := in.tx.ExecContext(ctx, `UPDATE entries SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3, seq = $4
		WHERE bank_id = $5 AND withdrawn_at IS NULL
		AND ((kind = $6 AND value = $7) OR (source_id <> '' AND source_id = $8))`,
		e.Withdrawn.UTC().Truncate(time.Microsecond), by, reason, in.ref.seq, in.ref.id,
		string(e.Signal.Kind), key, e.SourceID)
	if err != nil {
		return 0, fmt.Errorf("apply tombstone: %w", err)
	}
	return res.RowsAffected()
}
