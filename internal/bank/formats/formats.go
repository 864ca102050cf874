// Package formats imports and exports hash banks in the formats of the
// field: VICS JSON (Project VIC), pytx local_file lists, ThreatExchange CSV
// and Graph API JSON, NCMEC hash-sharing XML pages, StopNCII FetchHashes
// pages, C4All C4P indexes, plain hash lists and `haven hash` output (text
// and JSON lines).
//
// Every reader streams: memory stays constant as files grow (one record at
// a time, bounded by Options.MaxRecordBytes). Every rejected record is
// reported with its position and reason and the reader goes on; a fatal
// error (truncated or malformed input, not this format) ends the read and
// may come after entries were handed on, so an importer must treat it as
// "import nothing". Each subpackage's doc says which producer quirks it
// tolerates and how it maps fields.
//
// Entries with Withdrawn set are tombstones (NCMEC deletedImage and
// deletedVideo, StopNCII hashStatus Withdrawn or Deleted): an importer must
// withdraw what they name rather than insert them, by Signal, or by
// SourceID when the Signal is empty (NCMEC tombstones carry no hash).
// Formats that group several signals of one record (VICS Media, NCMEC
// entries) give them one SourceID and put Extra on the first only.
package formats

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/havenproject/haven/internal/bank/formats/c4p"
	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/havenhash"
	"github.com/havenproject/haven/internal/bank/formats/ncmec"
	"github.com/havenproject/haven/internal/bank/formats/plain"
	"github.com/havenproject/haven/internal/bank/formats/pytx"
	"github.com/havenproject/haven/internal/bank/formats/stopncii"
	"github.com/havenproject/haven/internal/bank/formats/tecsv"
	"github.com/havenproject/haven/internal/bank/formats/tegraph"
	"github.com/havenproject/haven/internal/bank/formats/vics"
)

// The shared contract lives in codec (so that format packages can use it
// without importing this one); these names are the public ones.
type (
	// Reader yields entries one by one; see codec.Reader for the contract.
	Reader = codec.Reader
	// Writer writes entries; see codec.Writer.
	Writer = codec.Writer
	// RecordError reports one rejected record; the reader goes on.
	RecordError = codec.RecordError
	// FatalError reports where a read failed for good.
	FatalError = codec.FatalError
	// Options tune readers and writers.
	Options = codec.Options
)

// Errors callers test with errors.Is.
var (
	ErrFormat      = errors.New("unknown format")
	ErrNoWriter    = errors.New("format has no writer")
	ErrRecord      = codec.ErrRecord
	ErrTooLong     = codec.ErrTooLong
	ErrTruncated   = codec.ErrTruncated
	ErrNotFormat   = codec.ErrNotFormat
	ErrUnsupported = codec.ErrUnsupported
	ErrAmbiguous   = codec.ErrAmbiguous
)

// Format names.
const (
	VICS      = "vics"
	Pytx      = "pytx"
	TECSV     = "tecsv"
	TEGraph   = "tegraph"
	NCMEC     = "ncmec"
	StopNCII  = "stopncii"
	C4P       = "c4p"
	Plain     = "plain"
	HavenHash = "havenhash"
	// HavenJSON is `haven hash --format json` (read only).
	HavenJSON = "havenjson"
)

type format struct {
	read  func(io.Reader, Options) (Reader, error)
	write func(io.Writer, Options) (Writer, error)
}

func rd[R Reader](f func(io.Reader, Options) (R, error)) func(io.Reader, Options) (Reader, error) {
	return func(r io.Reader, o Options) (Reader, error) { return f(r, o) }
}

func wr[W Writer](f func(io.Writer, Options) (W, error)) func(io.Writer, Options) (Writer, error) {
	return func(w io.Writer, o Options) (Writer, error) { return f(w, o) }
}

var registry = map[string]format{
	VICS:      {rd(vics.NewReader), wr(vics.NewWriter)},
	Pytx:      {rd(pytx.NewReader), wr(pytx.NewWriter)},
	TECSV:     {rd(tecsv.NewReader), wr(tecsv.NewWriter)},
	TEGraph:   {rd(tegraph.NewReader), nil},
	NCMEC:     {rd(ncmec.NewReader), nil},
	StopNCII:  {rd(stopncii.NewReader), wr(stopncii.NewWriter)},
	C4P:       {rd(c4p.NewReader), nil},
	Plain:     {rd(plain.NewReader), wr(plain.NewWriter)},
	HavenHash: {rd(havenhash.NewReader), wr(havenhash.NewWriter)},
	HavenJSON: {rd(havenhash.NewJSONReader), nil},
}

// NewReader returns a reader of the named format. Readers of structured
// formats read the head of r at once and refuse input that is not theirs.
func NewReader(format string, r io.Reader, opt Options) (Reader, error) {
	f, ok := registry[format]
	if !ok {
		return nil, fmt.Errorf("%w %q (have %v)", ErrFormat, format, Formats())
	}
	return f.read(r, opt)
}

// NewWriter returns a writer of the named format.
func NewWriter(format string, w io.Writer, opt Options) (Writer, error) {
	f, ok := registry[format]
	if !ok {
		return nil, fmt.Errorf("%w %q (have %v)", ErrFormat, format, Formats())
	}
	if f.write == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoWriter, format)
	}
	return f.write(w, opt)
}

// Formats lists the format names, sorted.
func Formats() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Writable lists the formats that have a writer, sorted.
func Writable() []string {
	var names []string
	for _, n := range Formats() {
		if registry[n].write != nil {
			names = append(names, n)
		}
	}
	return names
}
