package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

const recordColumns = `id, at, actor, org, role, action, object, result, remote, detail, prev_hash, hash`

func scanRecords(rows *sql.Rows) ([]Record, error) {
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.Time, &r.Actor, &r.Org, &r.Role, &r.Action, &r.Object, &r.Result,
			&r.Remote, &r.Detail, &r.PrevHash, &r.Hash); err != nil {
			return nil, err
		}
		r.Time = r.Time.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// Filter selects records for List. Zero fields select everything.
type Filter struct {
	From, To time.Time // From <= Time < To
	Actor    string
	Org      string
	Action   string
	Object   string
	Result   string
	// BeforeID pages backwards: only records with ID < BeforeID.
	BeforeID int64
	// Limit is the most records returned: 100 when 0, at most 1000.
	Limit int
}

// where returns the SQL conditions and arguments of f.
func (f Filter) where() (string, []any) {
	var (
		conds []string
		args  []any
	)
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if !f.From.IsZero() {
		add("at >= $%d", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < $%d", f.To.UTC())
	}
	for _, c := range []struct{ col, v string }{{"actor", f.Actor}, {"org", f.Org}, {"action", f.Action}, {"object", f.Object}, {"result", f.Result}} {
		if c.v != "" {
			// Cleaned as stored, so that odd input matches what it
			// became, and never makes the query fail.
			add(c.col+" = $%d", cleanString(c.v, maxField))
		}
	}
	if f.BeforeID > 0 {
		add("id < $%d", f.BeforeID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// List returns the records that f selects, newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Record, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	where, args := f.where()
	rows, err := l.db.SQL.QueryContext(ctx, `SELECT `+recordColumns+` FROM audit_log`+where+
		fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("list audit records: %w", err)
	}
	recs, err := scanRecords(rows)
	if err != nil {
		return nil, fmt.Errorf("list audit records: %w", err)
	}
	return recs, nil
}

// Export writes the records with from <= Time < to (a zero bound is
// open) to w as JSON lines, oldest first, with their hashes, so that the
// chain can be checked outside Haven.
func (l *Log) Export(ctx context.Context, from, to time.Time, w io.Writer) error {
	enc := json.NewEncoder(w)
	f := Filter{From: from, To: to}
	where, args := f.where()
	var after int64
	for {
		cond := " WHERE "
		if where != "" {
			cond = where + " AND "
		}
		rows, err := l.db.SQL.QueryContext(ctx, `SELECT `+recordColumns+` FROM audit_log`+cond+
			fmt.Sprintf(`id > $%d ORDER BY id LIMIT %d`, len(args)+1, verifyPage), append(args, after)...)
		if err != nil {
			return fmt.Errorf("export audit records: %w", err)
		}
		recs, err := scanRecords(rows)
		if err != nil {
			return fmt.Errorf("export audit records: %w", err)
		}
		for _, r := range recs {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("export audit records: %w", err)
			}
		}
		if len(recs) < verifyPage {
			return nil
		}
		after = recs[len(recs)-1].ID
	}
}
