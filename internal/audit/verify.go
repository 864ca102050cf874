package audit

import (
	"context"
	"fmt"
)

// Anchor is a record's ID and hash as noted outside the database at some
// time (from an earlier Report's HeadID and HeadHash).
type Anchor struct {
	ID   int64
	Hash string
}

// Report is the outcome of Verify.
type Report struct {
	// Records is how many records were checked.
	Records int64
	// HeadID and HeadHash name the newest record verified: note them
	// elsewhere and pass them back as an Anchor later, since a chain
	// alone cannot show that its newest records were cut off.
	HeadID   int64
	HeadHash string
	// OK is false when the chain is broken; BrokenID then names the first
	// record found wrong (or missing) and Problem says why.
	OK       bool
	BrokenID int64
	Problem  string
}

func (r Report) String() string {
	if r.OK {
		return fmt.Sprintf("audit trail intact: %d records, head %d %s", r.Records, r.HeadID, r.HeadHash)
	}
	return fmt.Sprintf("audit trail broken at record %d: %s", r.BrokenID, r.Problem)
}

// verifyPage is how many records Verify reads per query.
const verifyPage = 1000

// Verify walks the whole chain in ID order and checks that IDs run from 1
// without gaps, that each record's PrevHash is the previous record's Hash,
// that each Hash matches the record's content, that the chain ends where
// its head says, and that each anchor's record is present with its hash.
// It stops at the first problem. Records appended while it runs, beyond
// the head it read first, are left for the next run. The error is for
// failures to read; a broken chain is a Report with OK false.
func (l *Log) Verify(ctx context.Context, anchors ...Anchor) (Report, error) {
	headID, headHash, err := l.Head(ctx)
	if err != nil {
		return Report{}, err
	}
	rep := Report{HeadHash: GenesisHash}
	want := map[int64]string{}
	for _, a := range anchors {
		want[a.ID] = a.Hash
	}
	broken := func(id int64, format string, args ...any) (Report, error) {
		rep.BrokenID, rep.Problem = id, fmt.Sprintf(format, args...)
		return rep, nil
	}
	for rep.HeadID < headID {
		recs, err := l.page(ctx, rep.HeadID, headID)
		if err != nil {
			return Report{}, fmt.Errorf("verify: %w", err)
		}
		if len(recs) == 0 {
			break
		}
		for _, r := range recs {
			next := rep.HeadID + 1
			switch {
			case r.ID != next:
				return broken(next, "record missing (removed?): the next record present is %d", r.ID)
			case r.PrevHash != rep.HeadHash:
				return broken(r.ID, "does not follow record %d: its prev_hash differs from that record's hash (records removed, inserted or reordered)", rep.HeadID)
			case r.Hash != r.ComputeHash():
				return broken(r.ID, "content does not match its hash (edited)")
			}
			if h, ok := want[r.ID]; ok && h != r.Hash {
				return broken(r.ID, "hash %s differs from the anchor %s (the trail was rewritten)", r.Hash, h)
			}
			rep.Records, rep.HeadID, rep.HeadHash = rep.Records+1, r.ID, r.Hash
		}
	}
	if rep.HeadID != headID {
		return broken(rep.HeadID+1, "records %d to %d missing: the chain ends at %d but its head names %d", rep.HeadID+1, headID, rep.HeadID, headID)
	}
	if rep.HeadHash != headHash {
		return broken(headID, "hash differs from the one the chain head recorded")
	}
	for _, a := range anchors {
		if a.ID > headID {
			return broken(a.ID, "anchored record missing: the trail ends at %d (newest records removed)", headID)
		}
		if a.ID < 1 {
			return broken(a.ID, "invalid anchor")
		}
	}
	rep.OK = true
	return rep, nil
}

// page returns up to verifyPage records with after < id <= upTo, by ID.
func (l *Log) page(ctx context.Context, after, upTo int64) ([]Record, error) {
	rows, err := l.db.SQL.QueryContext(ctx, `SELECT `+recordColumns+` FROM audit_log WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`,
		after, upTo, verifyPage)
	if err != nil {
		return nil, err
	}
	return scanRecords(rows)
}
