package triage

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// JournalName is the append-only record of finished files in the output
// directory: one JSON File per line, fsynced per batch. A resumed run reads
// it back and skips those files; a line cut short by a crash is dropped (its
// file is simply done again). The journal is also where records live until
// the report: nothing of a file stays in memory once it is journaled.
const JournalName = "journal.jsonl"

// ErrExists reports an output directory that already holds a triage, when
// resuming was not asked for.
var ErrExists = errors.New("output directory already holds a triage (use --resume, or another directory)")

// journal appends records, syncing every batchSize of them.
type journal struct {
	f       *os.File
	w       *bufio.Writer
	pending int
	off     int64 // bytes in the file once the buffer is flushed
	// dups, when set, learns where each content's record lies once it is
	// flushed, so that later copies of the content are not decoded again.
	dups   *dupCache
	synced []dupSpan
}

const batchSize = 64

func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal: %w", err)
	}
	return &journal{f: f, w: bufio.NewWriterSize(f, 64<<10), off: fi.Size()}, nil
}

func (j *journal) add(f *File) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("journal %s: %w", f.Path, err)
	}
	j.w.Write(b)
	j.w.WriteByte('\n')
	if j.dups != nil && f.SHA256 != "" && !f.Problem {
		j.synced = append(j.synced, dupSpan{f.SHA256, j.off, len(b)})
	}
	j.off += int64(len(b)) + 1
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
	if j.dups != nil {
		j.dups.put(j.synced)
		j.synced = j.synced[:0]
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

// recordKey is a fixed-size digest of a record's key (File.key): the set of
// finished files is held as these 16 bytes each, not as paths. Two keys
// collide with probability about n²/2¹²⁹, nil for any seizure.
type recordKey [16]byte

func keyOf(k string) recordKey {
	s := sha256.Sum256([]byte(k))
	return recordKey(s[:16])
}

// maxLine bounds one journal record (a video's frame hashes make the longest).
const maxLine = 64 << 20

// scanJournal streams the records of a journal to yield in the order they
// were written, duplicates included (the first of a key wins; callers skip
// later ones), and truncates a torn last line so that appends start clean.
// A missing journal has no records.
func scanJournal(path string, yield func(f *File, line []byte) error) error {
	fh, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer fh.Close()
	r := bufio.NewReaderSize(fh, 256<<10)
	var good int64
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			line, err = readLong(r, line)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return fmt.Errorf("journal: %w", err)
			}
			break // a torn line (or none): its file is done again
		}
		var f File
		if json.Unmarshal(line[:len(line)-1], &f) != nil || f.Path == "" {
			break
		}
		good += int64(len(line))
		if err := yield(&f, line[:len(line)-1]); err != nil {
			return err
		}
	}
	if fi, err := fh.Stat(); err == nil && fi.Size() > good {
		if err := fh.Truncate(good); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
	}
	return nil
}

// readLong finishes a line longer than the reader's buffer.
func readLong(r *bufio.Reader, start []byte) ([]byte, error) {
	line := append([]byte(nil), start...)
	for len(line) < maxLine {
		more, err := r.ReadSlice('\n')
		line = append(line, more...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
	return nil, fmt.Errorf("journal line longer than %d bytes", maxLine)
}

// readJournal returns the keys of the journal's distinct records.
func readJournal(path string) (map[recordKey]struct{}, error) {
	done := map[recordKey]struct{}{}
	err := scanJournal(path, func(f *File, _ []byte) error {
		done[keyOf(f.key())] = struct{}{}
		return nil
	})
	return done, err
}
