package vics

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
)

// Where the reader is in the document.
type state int

const (
	inValue    state = iota // in the top-level value array
	inCase                  // in a case object, after its Media array
	inCaseList              // in a case object's Media array
	inTail                  // after the value array
	done
)

// Reader streams entries out of a VICS JSON document.
type Reader struct {
	dec     *json.Decoder
	g       *codec.Guard
	opt     codec.Options
	ctx     Context
	scheme  model.Scheme
	st      state
	index   int  // index of the current element of value (or of a case's Media)
	whole   bool // the last element of value was a Media: decode the next one whole
	pending []item
	err     error
}

// item is an entry or a rejection waiting to be handed on.
type item struct {
	e   model.Entry
	err error
}

// NewReader reads the document's header up to its value array, so that a
// file that is not VICS is refused before any entry is handed on.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("vics: %w", err)
	}
	g := codec.NewGuard(text, opt.MaxRecord())
	dec := json.NewDecoder(g)
	dec.UseNumber()
	vr := &Reader{dec: dec, g: g, opt: opt, scheme: opt.Scheme}
	if err := vr.header(); err != nil {
		return nil, fmt.Errorf("vics: %w", err)
	}
	return vr, nil
}

// Context returns the document's context URL as parsed.
func (r *Reader) Context() Context { return r.ctx }

func (r *Reader) header() error {
	tok, err := r.dec.Token()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &codec.FatalError{Line: 1, Err: fmt.Errorf("%w: not JSON: %v", codec.ErrNotFormat, err)}
	}
	if err != nil {
		return codec.JSONFatal(r.dec, r.g, err)
	}
	if tok != json.Delim('{') {
		return &codec.FatalError{Line: 1, Err: fmt.Errorf("%w: VICS is a JSON object, found %v", codec.ErrNotFormat, tok)}
	}
	for r.dec.More() {
		r.g.Mark(r.dec.InputOffset())
		key, err := r.key()
		if err != nil {
			return err
		}
		if strings.EqualFold(key, "value") {
			if err := codec.Delim(r.dec, '['); err != nil {
				return codec.JSONFatal(r.dec, r.g, err)
			}
			r.st = inValue
			return nil
		}
		var v json.RawMessage
		if err := r.dec.Decode(&v); err != nil {
			return codec.JSONFatal(r.dec, r.g, err)
		}
		r.topField(key, v)
	}
	return r.fatal(fmt.Errorf("%w: no value array", codec.ErrNotFormat))
}

// topField takes the context URL from a top-level member.
func (r *Reader) topField(key string, v json.RawMessage) {
	if !strings.EqualFold(key, "odata.metadata") && !strings.EqualFold(key, "@odata.context") {
		return
	}
	if s, ok, err := codec.JSONString(v); err == nil && ok {
		r.ctx = ParseContext(s)
		if sc := r.ctx.Scheme(); sc != model.SchemeNone {
			r.scheme = sc
		}
	}
}

func (r *Reader) key() (string, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return "", codec.JSONFatal(r.dec, r.g, err)
	}
	k, ok := tok.(string)
	if !ok {
		return "", r.fatal(fmt.Errorf("object key is %v", tok))
	}
	return k, nil
}

func (r *Reader) fatal(err error) error {
	off := r.dec.InputOffset()
	return &codec.FatalError{Line: r.g.Line(off), Offset: off, Err: err}
}

// Next returns the next entry; see codec.Reader for the contract.
func (r *Reader) Next() (model.Entry, error) {
	for {
		if len(r.pending) > 0 {
			it := r.pending[0]
			r.pending[0] = item{}
			r.pending = r.pending[1:]
			return it.e, it.err
		}
		if r.err != nil {
			return model.Entry{}, r.err
		}
		var err error
		switch r.st {
		case inValue:
			err = r.nextElement()
		case inCaseList:
			err = r.nextCaseMedia()
		case inCase:
			err = r.caseRest()
		case inTail:
			err = r.tail()
		case done:
			return model.Entry{}, io.EOF
		}
		if err != nil {
			var re *codec.RecordError
			if errors.As(err, &re) {
				return model.Entry{}, err
			}
			r.err = fmt.Errorf("vics: %w", err)
		}
	}
}

// nextElement reads one element of value: a Media, or the head of a case
// up to its Media array. After a Media the next element is decoded whole
// (fast); the first element, and those after a case, are walked token by
// token so that a case's Media array is streamed however long it is.
func (r *Reader) nextElement() error {
	if !r.dec.More() {
		if _, err := r.dec.Token(); err != nil { // ']'
			return codec.JSONFatal(r.dec, r.g, err)
		}
		r.st = inTail
		return nil
	}
	r.g.Mark(r.dec.InputOffset())
	r.index++
	if r.whole {
		return r.wholeElement()
	}
	tok, err := r.dec.Token()
	if err != nil {
		return codec.JSONFatal(r.dec, r.g, err)
	}
	if tok != json.Delim('{') {
		return r.skipNonObject(tok, fmt.Sprintf("value[%d]", r.index-1))
	}
	start := r.dec.InputOffset() - 1
	var fields []codec.Field
	for r.dec.More() {
		key, err := r.key()
		if err != nil {
			return err
		}
		if strings.EqualFold(key, "Media") {
			isList, v, err := r.mediaList()
			if err != nil {
				return err
			}
			if isList {
				r.st, r.index = inCaseList, 0
				return nil
			}
			fields = append(fields, codec.Field{Key: key, Value: v})
			continue
		}
		var v json.RawMessage
		if err := r.dec.Decode(&v); err != nil {
			return codec.JSONFatal(r.dec, r.g, err)
		}
		fields = append(fields, codec.Field{Key: key, Value: v})
	}
	if _, err := r.dec.Token(); err != nil { // '}'
		return codec.JSONFatal(r.dec, r.g, err)
	}
	r.whole = true
	return r.media(fields, codec.FirstDup(fields), start, r.index-1)
}

// wholeElement decodes an element of value at once. A case met this way
// (it fitted in the record limit) is read from memory, and the elements
// after it are walked again.
func (r *Reader) wholeElement() error {
	raw, fields, dup, err := codec.DecodeObject(r.dec)
	if err != nil {
		return codec.JSONFatal(r.dec, r.g, err)
	}
	start := r.dec.InputOffset() - int64(len(raw))
	id := fmt.Sprintf("value[%d]", r.index-1)
	if fields == nil {
		return r.reject(start, id, fmt.Errorf("element is %s, want a Media object", describeRaw(raw)))
	}
	for _, f := range fields {
		if strings.EqualFold(f.Key, "Media") && len(f.Value) > 0 && f.Value[0] == '[' {
			r.whole = false
			return r.caseInMemory(raw, f.Value, start)
		}
	}
	return r.media(fields, dup, start, r.index-1)
}

// caseInMemory queues the entries and rejections of a decoded case.
func (r *Reader) caseInMemory(raw, list json.RawMessage, start int64) error {
	elems, offs, err := codec.SplitArray(list)
	if err != nil {
		return r.fatal(err)
	}
	base := start + int64(len(raw)-cap(list)) // list aliases raw up to its end
	for i, el := range elems {
		off := base + int64(offs[i])
		fields, ferr := codec.SplitObject(el, nil)
		if ferr != nil || len(el) == 0 || el[0] != '{' {
			r.pending = append(r.pending, item{err: r.reject(off, fmt.Sprintf("Media[%d]", i),
				fmt.Errorf("element is %s, want a Media object", describeRaw(el)))})
			continue
		}
		if err := r.media(fields, codec.FirstDup(fields), off, i); err != nil {
			r.pending = append(r.pending, item{err: err})
		}
	}
	return nil
}

func (r *Reader) reject(off int64, id string, err error) error {
	return &codec.RecordError{Line: r.g.Line(off), Offset: off, Record: id, Err: err}
}

// mediaList reads the value of a "Media" member: it reports a list (whose
// '[' it consumed) or returns a scalar value. A Media object inside a Media
// is not VICS and is fatal.
func (r *Reader) mediaList() (bool, json.RawMessage, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return false, nil, codec.JSONFatal(r.dec, r.g, err)
	}
	switch tok {
	case json.Delim('['):
		return true, nil, nil
	case json.Delim('{'):
		return false, nil, r.fatal(errors.New(`"Media" holds an object, want an array of Media`))
	}
	b, _ := json.Marshal(tok) // a scalar token
	return false, b, nil
}

// nextCaseMedia reads one Media of a case's Media array.
func (r *Reader) nextCaseMedia() error {
	if !r.dec.More() {
		if _, err := r.dec.Token(); err != nil { // ']'
			return codec.JSONFatal(r.dec, r.g, err)
		}
		r.st = inCase
		return nil
	}
	r.g.Mark(r.dec.InputOffset())
	r.index++
	raw, fields, dup, err := codec.DecodeObject(r.dec)
	if err != nil {
		return codec.JSONFatal(r.dec, r.g, err)
	}
	start := r.dec.InputOffset() - int64(len(raw))
	if fields == nil {
		return r.reject(start, fmt.Sprintf("Media[%d]", r.index-1), fmt.Errorf("element is %s, want a Media object", describeRaw(raw)))
	}
	return r.media(fields, dup, start, r.index-1)
}

// caseRest reads the members of a case after its Media array.
func (r *Reader) caseRest() error {
	for r.dec.More() {
		r.g.Mark(r.dec.InputOffset())
		key, err := r.key()
		if err != nil {
			return err
		}
		if strings.EqualFold(key, "Media") {
			isList, _, err := r.mediaList()
			if err != nil {
				return err
			}
			if isList {
				r.st = inCaseList
				return nil
			}
			continue
		}
		var v json.RawMessage
		if err := r.dec.Decode(&v); err != nil {
			return codec.JSONFatal(r.dec, r.g, err)
		}
	}
	if _, err := r.dec.Token(); err != nil { // '}'
		return codec.JSONFatal(r.dec, r.g, err)
	}
	r.st = inValue
	return nil
}

// tail reads the top-level members after value, then expects the end.
func (r *Reader) tail() error {
	for r.dec.More() {
		r.g.Mark(r.dec.InputOffset())
		key, err := r.key()
		if err != nil {
			return err
		}
		var v json.RawMessage
		if err := r.dec.Decode(&v); err != nil {
			return codec.JSONFatal(r.dec, r.g, err)
		}
		r.topField(key, v)
	}
	if _, err := r.dec.Token(); err != nil { // '}'
		return codec.JSONFatal(r.dec, r.g, err)
	}
	if _, err := r.dec.Token(); err != io.EOF {
		return r.fatal(errors.New("data after the end of the document"))
	}
	r.st = done
	return nil
}

// skipNonObject consumes an array element that is not an object and
// rejects it.
func (r *Reader) skipNonObject(tok json.Token, id string) error {
	start := r.dec.InputOffset() - 1 // within the token, not at the comma before it
	if _, ok := tok.(json.Delim); ok {
		if err := codec.SkipRest(r.dec); err != nil {
			return codec.JSONFatal(r.dec, r.g, err)
		}
	}
	return r.reject(start, id, fmt.Errorf("element is %s, want a Media object", describe(tok)))
}

// describe names a JSON token for an error message.
func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", codec.Excerpt([]byte(t)))
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// describeRaw names a JSON value for an error message.
func describeRaw(raw []byte) string {
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '[':
		return "an array"
	case '"':
		return "the string " + codec.Excerpt(raw)
	}
	return codec.Excerpt(raw)
}
