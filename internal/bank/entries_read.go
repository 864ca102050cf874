package bank

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/havenproject/haven/internal/signal"
)

const entryCols = `id, bank_id, kind, value, value_text, quality, category_scheme, category_value, series,
	victim_identified, offender_identified, self_generated, distributed, source_id, tags,
	added_by, added_at, seq, withdrawn_at, withdrawn_by, withdrawn_reason, extra`

// ExportOptions tune Export.
type ExportOptions struct {
	// IncludeWithdrawn also yields tombstones.
	IncludeWithdrawn bool
}

// Export calls yield with the named bank's entries in the order they were
// added, active ones only unless opts say otherwise. It reads one snapshot
// of the bank while it streams; an error from yield stops it and is
// returned. yield must not change the store and wait for that change
// (on SQLite the snapshot's connection is one of the readers, not the
// writer, so it may start one; it will not see it).
func (s *Service) Export(ctx context.Context, bankName string, opts ExportOptions, yield func(*Entry) error) error {
	b, err := s.Get(ctx, bankName)
	if err != nil {
		return fmt.Errorf("export bank %q: %w", bankName, err)
	}
	query := `SELECT ` + entryCols + ` FROM entries WHERE bank_id = $1 AND withdrawn_at IS NULL ORDER BY id`
	if opts.IncludeWithdrawn {
		query = `SELECT ` + entryCols + ` FROM entries WHERE bank_id = $1 ORDER BY id`
	}
	if err := s.streamEntries(ctx, yield, query, b.ID); err != nil {
		return fmt.Errorf("export bank %q: %w", bankName, err)
	}
	return nil
}

// ChangesSince calls yield with every entry of the bank changed after Seq
// since (added or withdrawn: check Active), in Seq order, up to the
// bank's Seq when the call starts, which it returns: pass it as since
// next time. Changes after that Seq come next time, never twice; an
// entry changed twice since is yielded once, in its last state.
func (s *Service) ChangesSince(ctx context.Context, bankID, since int64, yield func(*Entry) error) (int64, error) {
	b, err := s.GetByID(ctx, bankID)
	if err != nil {
		return since, fmt.Errorf("changes: %w", err)
	}
	if b.Seq <= since {
		return since, nil
	}
	err = s.streamEntries(ctx, yield, `SELECT `+entryCols+` FROM entries WHERE bank_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq, id`,
		bankID, since, b.Seq)
	if err != nil {
		return since, fmt.Errorf("changes of bank %q since %d: %w", b.Name, since, err)
	}
	return b.Seq, nil
}

// Cursor records, per bank ID, the Seq up to which a follower has seen a
// bank's changes. The zero value (nil) has seen nothing.
type Cursor map[int64]int64

// Changes calls yield with the entries of every bank changed since cur, as
// ChangesSince does for each bank, and returns the cursor to pass next
// time (a new map; cur is not modified). On error the returned cursor
// covers the banks whose changes were all yielded, so a follower can
// resume from it.
func (s *Service) Changes(ctx context.Context, cur Cursor, yield func(*Entry) error) (Cursor, error) {
	next := make(Cursor, len(cur))
	for id, seq := range cur {
		next[id] = seq
	}
	banks, err := s.List(ctx)
	if err != nil {
		return next, fmt.Errorf("changes: %w", err)
	}
	for _, b := range banks {
		if b.Seq <= next[b.ID] {
			continue
		}
		seq, err := s.ChangesSince(ctx, b.ID, next[b.ID], yield)
		if err != nil {
			return next, err
		}
		next[b.ID] = seq
	}
	return next, nil
}

// LookupExact returns the active entries whose hash equals sig's, in every
// bank, each with its bank, ordered by bank name. Sharing terms are the
// caller's to apply.
func (s *Service) LookupExact(ctx context.Context, sig signal.Signal) ([]Match, error) {
	sig, err := normalize(sig)
	if err != nil {
		return nil, fmt.Errorf("lookup: %w", err)
	}
	key, _, err := encodeValue(sig)
	if err != nil {
		return nil, fmt.Errorf("lookup: %w", err)
	}
	var entries []Entry
	err = s.streamEntries(ctx, func(e *Entry) error { entries = append(entries, *e); return nil },
		`SELECT `+entryCols+` FROM entries WHERE kind = $1 AND value = $2 AND withdrawn_at IS NULL`, string(sig.Kind), key)
	if err != nil {
		return nil, fmt.Errorf("lookup %s: %w", sig, err)
	}
	matches := make([]Match, 0, len(entries))
	for _, e := range entries {
		b, err := s.GetByID(ctx, e.BankID)
		if err != nil {
			return nil, fmt.Errorf("lookup %s: %w", sig, err)
		}
		matches = append(matches, Match{Bank: b, Entry: e})
	}
	sortMatches(matches)
	return matches, nil
}

// Match is an entry found by a lookup, with its bank.
type Match struct {
	Bank  Bank
	Entry Entry
}

func (s *Service) streamEntries(ctx context.Context, yield func(*Entry) error, query string, args ...any) error {
	rows, err := s.db.SQL.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var e Entry
	for rows.Next() {
		if err := scanEntry(rows, &e); err != nil {
			return err
		}
		if err := yield(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanEntry reads a row of entryCols into e, replacing all of it.
func scanEntry(rows *sql.Rows, e *Entry) error {
	var (
		kind                                string
		key                                 []byte
		text, tags, extra                   sql.NullString
		quality                             sql.NullInt64
		victim, offender, self, distributed sql.NullBool
		withdrawnAt                         sql.NullTime
		scheme                              string
	)
	*e = Entry{}
	err := rows.Scan(&e.ID, &e.BankID, &kind, &key, &text, &quality, &scheme, &e.Category.Value, &e.Series,
		&victim, &offender, &self, &distributed, &e.SourceID, &tags,
		&e.AddedBy, &e.AddedAt, &e.Seq, &withdrawnAt, &e.WithdrawnBy, &e.WithdrawnReason, &extra)
	if err != nil {
		return fmt.Errorf("read entry: %w", err)
	}
	e.Signal = decodeValue(kind, key, text)
	e.Category.Scheme = Scheme(scheme)
	if quality.Valid {
		q := int(quality.Int64)
		e.Quality = &q
	}
	e.VictimIdentified, e.OffenderIdentified = boolPtr(victim), boolPtr(offender)
	e.SelfGenerated, e.Distributed = boolPtr(self), boolPtr(distributed)
	if tags.Valid {
		if err := json.Unmarshal([]byte(tags.String), &e.Tags); err != nil {
			return fmt.Errorf("entry %d tags: %w", e.ID, err)
		}
	}
	e.AddedAt = e.AddedAt.UTC()
	if withdrawnAt.Valid {
		t := withdrawnAt.Time.UTC()
		e.Withdrawn = &t
	}
	if extra.Valid {
		e.Extra = json.RawMessage(extra.String)
	}
	return nil
}

func boolPtr(b sql.NullBool) *bool {
	if !b.Valid {
		return nil
	}
	return &b.Bool
}

func sortMatches(m []Match) {
	slices.SortFunc(m, func(a, b Match) int {
		if c := strings.Compare(a.Bank.Name, b.Bank.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.Entry.ID, b.Entry.ID)
	})
}
