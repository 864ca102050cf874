// Package havenhash reads and writes the `hash,quality,path` lines that
// `haven hash` and Meta's pdq-photo-hasher print, and their dihedral form
// (`orig,rot90,…,flipm,quality,path`, from --dihedral or --pdqdih-across),
// of which only the original hash is kept: dihedral hashes are computed
// for queries, not stored in banks.
//
// The path becomes the entry's SourceID. It is the rest of the line after
// the quality, so it may hold commas.
package havenhash

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// Reader reads hash,quality,path lines.
type Reader struct{ lr *codec.LineReader }

// NewReader returns a reader of r.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("havenhash: %w", err)
	}
	return &Reader{lr: codec.NewLineReader(text, opt.MaxRecord())}, nil
}

// Next returns the next entry; see codec.Reader.
func (r *Reader) Next() (model.Entry, error) {
	for {
		line, err := r.lr.Next()
		if err != nil {
			return model.Entry{}, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		e, err := parse(string(line))
		if err != nil {
			return model.Entry{}, r.lr.Reject(line, err)
		}
		return e, nil
	}
}

// parse reads one line.
func parse(line string) (model.Entry, error) {
	hash, rest, ok := strings.Cut(line, ",")
	if !ok {
		return model.Entry{}, fmt.Errorf("want hash,quality,path")
	}
	s, err := signal.New(signal.PDQ, hash)
	if err != nil {
		return model.Entry{}, err
	}
	if isDihedral(rest) {
		for range 7 { // rot90 .. flipm
			_, rest, _ = strings.Cut(rest, ",")
		}
	}
	qs, path, ok := strings.Cut(rest, ",")
	if !ok {
		return model.Entry{}, fmt.Errorf("want hash,quality,path: no path")
	}
	q, err := strconv.Atoi(strings.TrimSpace(qs))
	if err != nil || q < 0 || q > 100 {
		return model.Entry{}, fmt.Errorf("quality %q is not 0..100", codec.Excerpt([]byte(qs)))
	}
	return model.Entry{Signal: s, Quality: &q, SourceID: path}, nil
}

// isDihedral reports seven more hashes after the first.
func isDihedral(rest string) bool {
	for range 7 {
		h, r, ok := strings.Cut(rest, ",")
		if !ok || len(h) != 64 || len(signal.Guess(h)) == 0 {
			return false
		}
		rest = r
	}
	return true
}

// Sniff reports a head whose first line is hash,quality,path.
func Sniff(head []byte) bool {
	line, _, _ := strings.Cut(string(head), "\n")
	_, err := parse(strings.TrimSuffix(line, "\r"))
	return err == nil
}

// Writer writes hash,quality,path lines.
type Writer struct {
	w   *bufio.Writer
	buf []byte
}

// NewWriter returns a writer.
func NewWriter(w io.Writer, _ codec.Options) (*Writer, error) {
	return &Writer{w: bufio.NewWriter(w)}, nil
}

// Write writes a PDQ entry with its quality; the path is its SourceID.
func (w *Writer) Write(e model.Entry) error {
	switch {
	case e.Withdrawn != nil:
		return fmt.Errorf("havenhash: %s: %w: no tombstones", e.Signal, codec.ErrUnsupported)
	case e.Signal.Kind != signal.PDQ:
		return fmt.Errorf("havenhash: %s: %w: only pdq", e.Signal, codec.ErrUnsupported)
	case e.Quality == nil:
		return fmt.Errorf("havenhash: %s: %w: no quality", e.Signal, codec.ErrUnsupported)
	case strings.ContainsAny(e.SourceID, "\r\n"):
		return fmt.Errorf("havenhash: %s: %w: path has a line break", e.Signal, codec.ErrUnsupported)
	}
	b := append(w.buf[:0], e.Signal.Value...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(*e.Quality), 10)
	b = append(b, ',')
	b = append(b, e.SourceID...)
	w.buf = append(b, '\n')
	_, err := w.w.Write(w.buf)
	return err
}

// Close flushes.
func (w *Writer) Close() error { return w.w.Flush() }
