package bank

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// EntrySource yields entries to import, one per call to Next, and io.EOF
// after the last. An error for which ImportOptions.IsRejected reports true
// rejects one record and the import goes on; any other error ends it.
// Next is called from one goroutine. Entry fields that Import sets (ID,
// BankID, Seq, the tombstone) are ignored.
type EntrySource interface {
	Next() (Entry, error)
}

// ImportOptions tune Import. The zero value is usable.
type ImportOptions struct {
	// AddedBy is recorded on entries whose source names nobody.
	AddedBy string
	// IsRejected tells a rejected-record error of the source from a fatal
	// one. Nil means errors implementing RejectedError with Rejected()
	// true.
	IsRejected func(error) bool
	// MaxRejected ends the import with ErrTooManyRejected, keeping
	// nothing, when more records than this are rejected; 0 means no limit.
	MaxRejected int64
	// KeepRejections is how many rejections to report in detail
	// (default 100); all are counted.
	KeepRejections int
	// BatchSize is the number of rows per INSERT (default 1000).
	BatchSize int
	// Progress, when set, is updated as the import goes.
	Progress *ImportProgress
}

// ImportProgress counts an import's records as it runs; another goroutine
// may read it at any time.
type ImportProgress struct {
	Read       atomic.Int64 // records taken from the source
	Inserted   atomic.Int64 // entries written (not yet committed)
	Duplicates atomic.Int64 // already active in the bank
	Rejected   atomic.Int64
}

// ImportResult reports a finished import.
type ImportResult struct {
	BankID int64
	// Seq is the bank's Seq after the import; unchanged when nothing was
	// inserted.
	Seq int64
	// Records is the number of records read, Inserted + Duplicates +
	// Rejected + Tombstones.
	Records  int64
	Inserted int64
	// Duplicates counts records whose hash is already active in the bank
	// (or repeated in the input): a re-import adds nothing.
	Duplicates int64
	Rejected   int64
	// Tombstones counts records by which the source withdrew an entry
	// (StopNCII Withdrawn/Deleted, NCMEC deletedImage/deletedVideo), and
	// Withdrawn the active entries they withdrew (by hash, or by the
	// source's id for the entry); a tombstone for an entry the bank does
	// not hold withdraws nothing.
	Tombstones int64
	Withdrawn  int64
	// Rejections details the first rejected records.
	Rejections []Rejection
}

// Rejection is one rejected record.
type Rejection struct {
	// Record is the record's 1-based position in the source.
	Record int64
	// Err says why, with the source's own position (line, offset) when it
	// gives one.
	Err error
}

func (r Rejection) String() string { return fmt.Sprintf("record %d: %v", r.Record, r.Err) }

// errNothingChanged rolls back an import that inserted nothing, so that it
// does not bump the bank's Seq.
var errNothingChanged = errors.New("nothing changed")

// Import reads src to its end and adds its entries to the named bank in one
// transaction: either every accepted entry is added, or (on a fatal source
// error, ErrTooManyRejected, a store error or ctx ending) none is. Memory
// does not grow with the input: rows go to the database in batches. An
// entry whose hash is already active in the bank is counted as a duplicate
// and not added again, so re-importing a list is idempotent. Concurrent
// imports into one bank run one after the other.
func (s *Service) Import(ctx context.Context, bankName string, src EntrySource, opts ImportOptions) (ImportResult, error) {
	opts = opts.withDefaults()
	var res ImportResult
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res = ImportResult{}
		now := s.timestamp()
		ref, err := bumpSeq(ctx, tx, bankName, now)
		if err != nil {
			return err
		}
		res.BankID, res.Seq = ref.id, ref.seq
		ins := newInserter(tx, s.db.Dialect, ref, opts.BatchSize)
		if err := importLoop(ctx, src, opts, ins, now, &res); err != nil {
			return err
		}
		if res.Inserted == 0 && res.Withdrawn == 0 {
			return errNothingChanged
		}
		return nil
	})
	switch {
	case errors.Is(err, errNothingChanged):
		b, err := s.Get(ctx, bankName)
		if err != nil {
			return res, fmt.Errorf("import into bank %q: %w", bankName, err)
		}
		res.Seq = b.Seq
	case err != nil:
		return res, fmt.Errorf("import into bank %q: %w", bankName, err)
	}
	return res, nil
}

func importLoop(ctx context.Context, src EntrySource, opts ImportOptions, ins *inserter, now time.Time, res *ImportResult) error {
	p := opts.Progress
	for {
		if res.Records%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		e, err := src.Next()
		if err == io.EOF {
			break
		}
		res.Records++
		p.Read.Add(1)
		if err == nil && e.Withdrawn != nil {
			// A tombstone: entries added earlier in this input must be
			// written first so that it can withdraw them.
			if err := ins.flush(ctx); err != nil {
				return err
			}
			account(ins, res, p)
			n, err := ins.withdraw(ctx, &e, opts.AddedBy)
			if err != nil {
				return fmt.Errorf("record %d: %w", res.Records, err)
			}
			res.Tombstones++
			res.Withdrawn += n
			continue
		}
		if err == nil {
			err = prepareEntry(&e, opts, now)
		} else if !opts.IsRejected(err) {
			return fmt.Errorf("read record %d: %w", res.Records, err)
		}
		if err != nil {
			res.Rejected++
			p.Rejected.Add(1)
			if len(res.Rejections) < opts.KeepRejections {
				res.Rejections = append(res.Rejections, Rejection{Record: res.Records, Err: err})
			}
			if opts.MaxRejected > 0 && res.Rejected > opts.MaxRejected {
				return fmt.Errorf("%w: more than %d", ErrTooManyRejected, opts.MaxRejected)
			}
			continue
		}
		if err := ins.add(ctx, &e); err != nil {
			return err
		}
		if ins.pending() == 0 {
			account(ins, res, p)
		}
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	account(ins, res, p)
	return nil
}

// account moves the inserter's counts of flushed rows into res and p.
func account(ins *inserter, res *ImportResult, p *ImportProgress) {
	inserted, dups := ins.take()
	res.Inserted += inserted
	res.Duplicates += dups
	p.Inserted.Add(inserted)
	p.Duplicates.Add(dups)
}

func (o ImportOptions) withDefaults() ImportOptions {
	if o.IsRejected == nil {
		o.IsRejected = isRejected
	}
	if o.KeepRejections == 0 {
		o.KeepRejections = 100
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
	o.BatchSize = min(o.BatchSize, maxBatch)
	if o.Progress == nil {
		o.Progress = new(ImportProgress)
	}
	return o
}

// prepareEntry normalises e and checks what both databases must accept.
func prepareEntry(e *Entry, opts ImportOptions, now time.Time) error {
	sig, err := normalize(e.Signal)
	if err != nil {
		return err
	}
	e.Signal = sig
	if !e.Category.IsZero() {
		if e.Category, err = NewCategory(e.Category.Scheme, e.Category.Value); err != nil {
			return err
		}
	}
	if e.Quality != nil && (*e.Quality < 0 || *e.Quality > 100) {
		return fmt.Errorf("%w quality %d: want 0 to 100", ErrInvalid, *e.Quality)
	}
	if e.AddedBy == "" {
		e.AddedBy = opts.AddedBy
	}
	if e.AddedAt.IsZero() {
		e.AddedAt = now
	}
	e.AddedAt = e.AddedAt.UTC().Truncate(time.Microsecond)
	for _, t := range append([]string{e.Series, e.SourceID, e.AddedBy, sig.Value}, e.Tags...) {
		if err := checkText(t); err != nil {
			return err
		}
	}
	if len(e.Extra) > 0 {
		if err := checkText(string(e.Extra)); err != nil {
			return err
		}
		if !json.Valid(e.Extra) {
			return fmt.Errorf("%w extra: not JSON", ErrInvalid)
		}
	}
	return nil
}
