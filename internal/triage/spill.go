package triage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	_ "modernc.org/sqlite" // the "sqlite" driver, as package store uses it
)

// SpillName is the scratch database in the output directory that holds
// every record, media and group between the journal and the reports, so
// that memory does not grow with the number of files: SQLite sorts and
// groups on disk. It is rebuilt from the journal on every run (resumed or
// not) and removed by Result.Close.
const SpillName = "triage-work.sqlite"

// spill is the scratch store. Its tables:
//
//	files  one row per journal record (the first of a key): the record's JSON
//	media  one row per distinct content of the media files, with its
//	       representative record (the first path), group and review rank
//	groups one row per group, with kind, score, reasons and rank
type spill struct {
	db   *sql.DB
	path string
}

const spillSchema = `
CREATE TABLE files (
	key    TEXT PRIMARY KEY,
	path   TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	media  INTEGER NOT NULL,
	rec    BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX files_path ON files (path, key);
CREATE INDEX files_media ON files (media, sha256, path);
CREATE TABLE media (
	id         INTEGER PRIMARY KEY,
	sha256     TEXT NOT NULL UNIQUE,
	rep        TEXT NOT NULL,
	first_path TEXT NOT NULL,
	nfiles     INTEGER NOT NULL,
	grp        INTEGER NOT NULL DEFAULT 0,
	vrank      INTEGER NOT NULL DEFAULT 0,
	taken      INTEGER NOT NULL DEFAULT 0,
	seen_in    TEXT NOT NULL DEFAULT '',
	ord        INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE groups (
	root       INTEGER PRIMARY KEY,
	gid        INTEGER NOT NULL DEFAULT 0,
	kind       TEXT NOT NULL,
	score      REAL NOT NULL,
	reasons    TEXT NOT NULL,
	cameras    TEXT NOT NULL,
	first_path TEXT NOT NULL,
	nmedia     INTEGER NOT NULL
);`

// openSpill creates a fresh scratch database at path. Durability is off:
// after a crash it is rebuilt from the journal.
func openSpill(ctx context.Context, path string) (*spill, error) {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("scratch store: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(OFF)", "synchronous(OFF)", "cache_size(-16384)", "temp_store(FILE)", "locking_mode(EXCLUSIVE)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("scratch store: %w", err)
	}
	// One connection: the analysis reads and writes inside one transaction.
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, spillSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("scratch store: %w", err)
	}
	return &spill{db: db, path: path}, nil
}

func (s *spill) close() error {
	err := s.db.Close()
	if rerr := os.Remove(s.path); err == nil && rerr != nil && !os.IsNotExist(rerr) {
		err = rerr
	}
	return err
}

// load copies the journal's records into files, the first record of a key
// winning, and returns the count per verdict.
func (s *spill) load(ctx context.Context, journalPath string) (map[Verdict]int, int64, error) {
	counts := map[Verdict]int{}
	var n int64
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO files (key, path, sha256, media, rec) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, 0, err
	}
	err = scanJournal(journalPath, func(f *File, line []byte) error {
		isMedia := 0
		if f.IsMedia() {
			isMedia = 1
		}
		r, err := st.ExecContext(ctx, f.key(), f.Path, f.SHA256, isMedia, line)
		if err != nil {
			return err
		}
		if k, _ := r.RowsAffected(); k == 1 {
			counts[f.Verdict]++
			n++
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("scratch store: %w", err)
	}
	return counts, n, tx.Commit()
}

// decodeRec reads a record back.
func decodeRec(b []byte) (*File, error) {
	f := new(File)
	if err := json.Unmarshal(b, f); err != nil {
		return nil, fmt.Errorf("scratch record: %w", err)
	}
	return f, nil
}
