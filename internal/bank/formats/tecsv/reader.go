// Package tecsv reads and writes the CSV forms of ThreatExchange hash
// lists:
//
//   - pytx 0.x "simple" files (simple.<TYPE>.te), headerless:
//     indicator,descriptor_id,added_on,labels (labels space-separated);
//   - HMA's variant with the indicator id: indicator,indicator_id,
//     descriptor_id,added_on,labels;
//   - `threatexchange dataset --csv`, with the header
//     collab,signal_type,signal_str,category,tags;
//   - the ThreatExchange bulk-upload CSV: '#' comment lines, blank lines,
//     then a header row (type,threat_type,indicator,status,…).
//
// A header is recognised by its column names; headerless files are told
// apart by their column count (4 or 5). Without a type column the kind is
// guessed by length, and Options.Kind says what 64 hex digits are (the
// TYPE in a simple file's name). Rows whose type is not a hash (DOMAIN,
// URI, …) are rejected with their line. Columns Haven does not model are
// kept in Extra under "te" by header name. The writer writes the dataset
// form.
package tecsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

const ns = "te"

// Column roles, by the header names producers use.
var roles = map[string]string{
	"signal_str": "value", "indicator": "value", "raw_indicator": "value", "signal": "value", "hash": "value",
	"signal_type": "kind", "type": "kind", "indicator_type": "kind",
	"descriptor_id": "id", "first_descriptor_id": "id", "id": "id",
	"added_on": "added", "tags": "tags", "labels": "tags",
}

// layout says which column holds what.
type layout struct {
	value, kind, id, added, tags int
	names                        []string // header names, for Extra
}

// Reader reads a ThreatExchange CSV.
type Reader struct {
	cr  *csv.Reader
	g   *codec.Guard
	opt codec.Options
	lay *layout
	err error
}

// NewReader returns a reader of r.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("tecsv: %w", err)
	}
	g := codec.NewGuard(text, opt.MaxRecord())
	cr := csv.NewReader(g)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.Comment = '#'
	cr.ReuseRecord = true
	return &Reader{cr: cr, g: g, opt: opt}, nil
}

// Next returns the next entry; see codec.Reader.
func (r *Reader) Next() (model.Entry, error) {
	for {
		if r.err != nil {
			return model.Entry{}, r.err
		}
		start := r.cr.InputOffset()
		r.g.Mark(start)
		row, err := r.cr.Read()
		if err == io.EOF {
			r.err = io.EOF
			continue
		}
		line := r.g.Line(start)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, codec.ErrTooLong) {
				return model.Entry{}, &codec.RecordError{Line: pe.StartLine, Offset: start, Err: pe.Err}
			}
			r.err = fmt.Errorf("tecsv: %w", &codec.FatalError{Line: line, Offset: start, Err: err})
			continue
		}
		line, _ = r.cr.FieldPos(0)
		if r.lay == nil {
			if r.lay, err = newLayout(row); err != nil {
				r.err = fmt.Errorf("tecsv: %w", &codec.FatalError{Line: line, Offset: start, Err: err})
				continue
			}
			if r.lay.names != nil {
				continue // the header row
			}
		}
		e, err := r.entry(row)
		if err != nil {
			return model.Entry{}, &codec.RecordError{Line: line, Offset: start, Record: codec.Excerpt([]byte(strings.Join(row, ","))), Err: err}
		}
		return e, nil
	}
}

// newLayout reads the first row: a header, or the first data row of a
// headerless file.
func newLayout(row []string) (*layout, error) {
	l := &layout{value: -1, kind: -1, id: -1, added: -1, tags: -1}
	header := false
	for i, name := range row {
		n := strings.ToLower(strings.TrimSpace(name))
		switch roles[n] {
		case "value":
			header, l.value = true, pick(l.value, i)
		case "kind":
			l.kind = pick(l.kind, i)
		case "id":
			l.id = pick(l.id, i)
		case "added":
			l.added = pick(l.added, i)
		case "tags":
			l.tags = pick(l.tags, i)
		}
	}
	if header {
		l.names = make([]string, len(row))
		for i, name := range row {
			l.names[i] = strings.TrimSpace(name)
		}
		return l, nil
	}
	switch len(row) {
	case 4:
		return &layout{value: 0, kind: -1, id: 1, added: 2, tags: 3}, nil
	case 5:
		return &layout{value: 0, kind: -1, id: 2, added: 3, tags: 4}, nil
	}
	return nil, fmt.Errorf("%w: first row has %d columns and no header naming the indicator column", codec.ErrNotFormat, len(row))
}

func pick(have, i int) int {
	if have >= 0 {
		return have
	}
	return i
}

// entry turns a data row into an entry.
func (r *Reader) entry(row []string) (model.Entry, error) {
	l := r.lay
	if l.value >= len(row) {
		return model.Entry{}, fmt.Errorf("%d columns, no indicator", len(row))
	}
	value := strings.TrimSpace(row[l.value])
	var s signal.Signal
	var err error
	if l.kind >= 0 && l.kind < len(row) && strings.TrimSpace(row[l.kind]) != "" {
		k, kerr := signal.ParseKind(row[l.kind])
		if kerr != nil {
			return model.Entry{}, fmt.Errorf("%w: indicator type %q is not a hash signal", signal.ErrKind, row[l.kind])
		}
		s, err = codec.NewSignal(k, value)
	} else {
		s, err = codec.GuessSignal(value, r.opt.Kind)
	}
	if err != nil {
		return model.Entry{}, err
	}
	e := model.Entry{Signal: s}
	var extra []codec.Field
	for i, v := range row {
		switch i {
		case l.value, l.kind:
		case l.id:
			e.SourceID = strings.TrimSpace(v)
		case l.tags:
			e.Tags = codec.SplitTags(v, true)
		case l.added:
			if t, err := codec.ParseTime(v); err == nil {
				e.AddedAt = t
			} else if v != "" {
				extra = append(extra, codec.StringField("added_on", v))
			}
		default:
			if v != "" {
				extra = append(extra, codec.StringField(l.name(i), v))
			}
		}
	}
	e.Extra = codec.MakeExtra(ns, extra)
	return e, nil
}

// name is a column's header name, or for headerless HMA rows the name
// pytx gives it.
func (l *layout) name(i int) string {
	if i < len(l.names) && l.names[i] != "" {
		return l.names[i]
	}
	if l.names == nil && i == 1 && l.id == 2 {
		return "indicator_id"
	}
	return fmt.Sprintf("column%d", i+1)
}

// Sniff reports a head whose first row (after comments and blank lines)
// is a ThreatExchange header or a headerless 4- or 5-column row starting
// with a hash.
func Sniff(head []byte) bool {
	for _, line := range strings.Split(string(head), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		cols := strings.Split(line, ",")
		if l, err := newLayout(cols); err == nil {
			return l.names != nil || len(signal.Guess(strings.TrimSpace(cols[0]))) > 0
		}
		return false
	}
	return false
}
