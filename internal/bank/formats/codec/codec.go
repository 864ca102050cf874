// Package codec holds what every hash-list format shares: the Reader and
// Writer contracts, Options, the error types that name a position, and the
// streaming primitives (bounded line reader, byte-budget guard, BOM and
// UTF-16 handling, JSON object walking) the format packages are built on.
// Package formats re-exports its types; format packages import codec so
// that formats can import them without a cycle.
package codec

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// Reader yields entries one by one, in file order, holding at most one
// record in memory.
//
// Next returns io.EOF after the last entry. A record that cannot become an
// entry returns a *RecordError (its position and the reason) and the reader
// stays usable: call Next again to go on. Any other error is fatal (the
// input is truncated, is not valid JSON/XML, is not this format, or a
// record exceeds Options.MaxRecordBytes); it names the position as a
// *FatalError, and every later call returns it again.
//
// A fatal error can come after entries were handed on, since a stream is
// only known to be whole at its end. An importer must therefore treat a
// fatal error as "import nothing" (roll back its transaction).
type Reader interface {
	Next() (model.Entry, error)
}

// Writer writes entries in one format. Write returns an error wrapping
// ErrUnsupported for an entry the format cannot carry (a tombstone in a
// plain list, a category of another scheme); the writer stays usable and
// the caller decides whether to skip the entry or stop. Any other error is
// an I/O error. Close flushes and writes trailers; it does not close the
// underlying io.Writer.
type Writer interface {
	Write(model.Entry) error
	Close() error
}

// DefaultMaxRecordBytes bounds one record (a line, a JSON object, an XML
// element): memory stays constant however large the file grows.
const DefaultMaxRecordBytes = 4 << 20

// Options tune readers and writers. The zero value is valid.
type Options struct {
	// Kind says what a bare hex value is where the format does not: plain
	// lists and headerless CSV, where 64 hex digits may be SHA-256 or PDQ.
	Kind signal.Kind
	// Scheme says how to read numeric categories when the file does not
	// (a VICS 1.x or "Default" profile file); writers of VICS need
	// SchemeVICSUS or SchemeVICSUK (the profile named in the context URL).
	Scheme model.Scheme
	// Name is written where a format names its list (the pytx dataset
	// CSV's collab column).
	Name string
	// MaxRecordBytes overrides DefaultMaxRecordBytes.
	MaxRecordBytes int
}

// MaxRecord returns the record size limit in force.
func (o Options) MaxRecord() int {
	if o.MaxRecordBytes > 0 {
		return o.MaxRecordBytes
	}
	return DefaultMaxRecordBytes
}

var (
	// ErrTooLong reports a record (line, object, element) over the limit.
	ErrTooLong = errors.New("record too long")
	// ErrTruncated reports input that ends inside a record or structure.
	ErrTruncated = errors.New("input truncated")
	// ErrNotFormat reports input that is well-formed but not this format
	// (an NCMEC status body given to the entries reader, say).
	ErrNotFormat = errors.New("not this format")
	// ErrUnsupported reports an entry a writer cannot represent.
	ErrUnsupported = errors.New("not representable in this format")
	// ErrRecord is the reason class of rejected records: every
	// RecordError matches it with errors.Is.
	ErrRecord = errors.New("rejected record")
	// ErrDuplicateKey reports a JSON object that names a key twice.
	ErrDuplicateKey = errors.New("duplicate key")
)

// RecordError reports one rejected record. Line is 1-based (0 when the
// format has no lines); Offset is the byte offset of the record's start in
// the decoded text (after a BOM, after UTF-16 transcoding).
type RecordError struct {
	Line   int
	Offset int64
	// Record is a short identifier or excerpt of the record.
	Record string
	Err    error
}

func (e *RecordError) Error() string {
	rec := ""
	if e.Record != "" {
		rec = fmt.Sprintf(" %q", e.Record)
	}
	return fmt.Sprintf("%s: record%s rejected: %v", position(e.Line, e.Offset), rec, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// Rejected reports true: a RecordError rejects one record and the reader
// goes on (bank.RejectedError).
func (e *RecordError) Rejected() bool { return true }

// Is makes every RecordError match ErrRecord.
func (e *RecordError) Is(target error) bool { return target == ErrRecord }

// FatalError reports an error that ends the read, with where it happened.
type FatalError struct {
	Line   int
	Offset int64
	Err    error
}

func (e *FatalError) Error() string {
	return fmt.Sprintf("%s: %v", position(e.Line, e.Offset), e.Err)
}

func (e *FatalError) Unwrap() error { return e.Err }

func position(line int, off int64) string {
	if line > 0 {
		return fmt.Sprintf("line %d (byte %d)", line, off)
	}
	return fmt.Sprintf("byte %d", off)
}

// Excerpt shortens a record for a RecordError.
func Excerpt(b []byte) string {
	const max = 80
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// XMLTruncated reports an encoding/xml error that means the input ended
// inside the document.
func XMLTruncated(err error) bool {
	var se *xml.SyntaxError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		(errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF"))
}
