package triage

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// JournalName is the append-only record of finished files in the output
// directory: one JSON File per line, fsynced per batch. A resumed run reads
// it back and skips those files; a line cut short by a crash is dropped (its
// file is simply done again).
const JournalName = "journal.jsonl"

// ErrExists reports an output directory that already holds a triage, when
// resuming was not asked for.
var ErrExists = errors.New("output directory already holds a triage (use --resume, or another directory)")

// journal appends records, syncing every batchSize of them.
type journal struct {
	f       *os.File
	w       *bufio.Writer
	pending int
}

const batchSize = 64

func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return &journal{f: f, w: bufio.NewWriter(f)}, nil
}

func (j *journal) add(f *File) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("journal %s: %w", f.Path, err)
	}
	j.w.Write(b)
	j.w.WriteByte('\n')
	if j.pending++; j.pending >= batchSize {
		return j.sync()
	}
	return nil
}

// sync makes every record added so far durable.
func (j *journal) sync() error {
	j.pending = 0
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

func (j *journal) close() error {
	err := j.sync()
	if cerr := j.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("journal: %w", cerr)
	}
	return err
}

// readJournal returns the records of a journal by path, the first record of
// a path winning, and truncates a torn last line so appends start clean.
func readJournal(path string) (map[string]*File, []string, error) {
	done := map[string]*File{}
	var order []string
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return done, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	good := 0
	for off := 0; off < len(data); {
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			break // torn line: its file is done again
		}
		var f File
		if err := json.Unmarshal(data[off:off+nl], &f); err != nil {
			break
		}
		off += nl + 1
		good = off
		if _, ok := done[f.key()]; !ok {
			done[f.key()] = &f
			order = append(order, f.Path)
		}
	}
	if good < len(data) {
		if err := os.Truncate(path, int64(good)); err != nil {
			return nil, nil, fmt.Errorf("journal: %w", err)
		}
	}
	return done, order, nil
}
