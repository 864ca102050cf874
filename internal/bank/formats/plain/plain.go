// Package plain reads and writes plain hash lists: one hex hash per line,
// as Griffeye, X-Ways and most scripts exchange them.
//
// The kind of each value is guessed by its length (32 MD5, 40 SHA1); 64 hex
// digits may be SHA-256 or PDQ, so Options.Kind or a header line must say
// which. Quirks tolerated: a UTF-8 BOM (Griffeye exports), a first line
// naming the kind ("MD5", as X-Ways wants it prepended), upper-case hex,
// CRLF, surrounding spaces, blank lines and '#' comments.
package plain

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// Reader reads a plain hash list.
type Reader struct {
	lr   *codec.LineReader
	kind signal.Kind
	seen bool // a non-blank line was read
}

// NewReader returns a reader of r.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("plain: %w", err)
	}
	return &Reader{lr: codec.NewLineReader(text, opt.MaxRecord()), kind: opt.Kind}, nil
}

// Next returns the next entry; see codec.Reader.
func (r *Reader) Next() (model.Entry, error) {
	for {
		line, err := r.lr.Next()
		if err != nil {
			return model.Entry{}, err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		first := !r.seen
		r.seen = true
		if first {
			if k, err := signal.ParseKind(string(line)); err == nil {
				if len(signal.Guess(string(line))) == 0 { // "md5", not a hash that spells a name
					r.kind = k
					continue
				}
			}
		}
		s, err := codec.GuessSignal(string(line), r.kind)
		if err != nil {
			return model.Entry{}, r.lr.Reject(line, err)
		}
		return model.Entry{Signal: s}, nil
	}
}

// Sniff reports a head that looks like a plain list: every complete
// non-blank line one hex value.
func Sniff(head []byte) bool {
	n := 0
	for _, line := range completeLines(head) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if n == 0 {
			if _, err := signal.ParseKind(line); err == nil {
				continue
			}
		}
		if len(signal.Guess(line)) == 0 {
			return false
		}
		n++
	}
	return n > 0
}

// completeLines splits head into lines, dropping a last one cut short.
func completeLines(head []byte) []string {
	s := string(head)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 && len(head) >= 4096 {
		s = s[:i]
	}
	return strings.Split(s, "\n")
}

// Writer writes one hash per line.
type Writer struct {
	w    *bufio.Writer
	kind signal.Kind
	wide signal.Kind // the 64-digit kind written so far
	buf  []byte
}

// NewWriter returns a writer; with opt.Kind set it writes only that kind.
func NewWriter(w io.Writer, opt codec.Options) (*Writer, error) {
	return &Writer{w: bufio.NewWriter(w), kind: opt.Kind}, nil
}

// Write writes the entry's hash; see codec.Writer.
func (w *Writer) Write(e model.Entry) error {
	k := e.Signal.Kind
	switch {
	case e.Withdrawn != nil:
		return fmt.Errorf("plain: %s: %w: a plain list has no tombstones", e.Signal, codec.ErrUnsupported)
	case k == signal.VPDQ || e.Signal.Value == "":
		return fmt.Errorf("plain: %q: %w", e.Signal, codec.ErrUnsupported)
	case w.kind != "" && k != w.kind:
		return fmt.Errorf("plain: %s: %w: this list holds %s", e.Signal, codec.ErrUnsupported, w.kind)
	case len(e.Signal.Value) == 64 && w.wide != "" && w.wide != k:
		return fmt.Errorf("plain: %s: %w: the list already holds %s, and 64 hex digits do not say which", e.Signal, codec.ErrUnsupported, w.wide)
	}
	if len(e.Signal.Value) == 64 {
		w.wide = k
	}
	w.buf = append(append(w.buf[:0], e.Signal.Value...), '\n')
	_, err := w.w.Write(w.buf)
	return err
}

// Close flushes.
func (w *Writer) Close() error { return w.w.Flush() }
