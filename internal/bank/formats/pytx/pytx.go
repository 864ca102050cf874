// Package pytx reads and writes python-threatexchange's local_file
// exchange: one signal per line, "<signal_type> <signal>" split on the
// first space, or the bare signal when the collaboration fixes the type
// (Options.Kind here). Blank lines are skipped, as pytx skips them.
//
// A vpdq signal is pytx's and HMA's one-line JSON array of
// "pdq_hex,quality,timestamp" strings (the older JSON object form is read
// too); it is written in the array form.
package pytx

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

// Reader reads a local_file list.
type Reader struct {
	lr   *codec.LineReader
	kind signal.Kind
}

// NewReader returns a reader of r.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("pytx: %w", err)
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
		if len(line) == 0 {
			continue
		}
		s, err := parse(string(line), r.kind)
		if err != nil {
			return model.Entry{}, r.lr.Reject(line, err)
		}
		return model.Entry{Signal: s}, nil
	}
}

// parse reads one trimmed line. With a fixed kind the line is the signal,
// unless it starts with a type name (a typed line in a typed file).
func parse(line string, fixed signal.Kind) (signal.Signal, error) {
	name, value, typed := strings.Cut(line, " ")
	var k signal.Kind
	if typed {
		var err error
		k, err = signal.ParseKind(name)
		if err != nil && fixed == "" {
			return signal.Signal{}, err
		}
		if err != nil {
			typed = false
		}
	}
	if !typed {
		if fixed == "" {
			return codec.GuessSignal(line, "")
		}
		return codec.NewSignal(fixed, line)
	}
	return codec.NewSignal(k, value)
}

// Sniff reports a head whose complete lines are "<type> <signal>".
func Sniff(head []byte) bool {
	s := string(head)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 && len(head) >= 4096 {
		s = s[:i]
	}
	n := 0
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !strings.Contains(line, " ") {
			return false
		}
		if _, err := parse(line, ""); err != nil {
			return false
		}
		n++
	}
	return n > 0
}

// Writer writes "<signal_type> <signal>" lines.
type Writer struct {
	w   *bufio.Writer
	buf []byte
}

// NewWriter returns a writer.
func NewWriter(w io.Writer, _ codec.Options) (*Writer, error) {
	return &Writer{w: bufio.NewWriter(w)}, nil
}

// Write writes one line; see codec.Writer.
func (w *Writer) Write(e model.Entry) error {
	switch {
	case e.Withdrawn != nil:
		return fmt.Errorf("pytx: %s: %w: local_file has no tombstones", e.Signal, codec.ErrUnsupported)
	case e.Signal.Kind == "" || e.Signal.Value == "":
		return fmt.Errorf("pytx: %q: %w", e.Signal, codec.ErrUnsupported)
	}
	value, err := codec.HMASignal(e.Signal)
	if err != nil {
		return fmt.Errorf("pytx: %w", err)
	}
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("pytx: %q: %w", e.Signal, codec.ErrUnsupported)
	}
	b := append(w.buf[:0], e.Signal.Kind...)
	b = append(b, ' ')
	b = append(b, value...)
	w.buf = append(b, '\n')
	_, err = w.w.Write(w.buf)
	return err
}

// Close flushes.
func (w *Writer) Close() error { return w.w.Flush() }
