package codec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Field is one member of a JSON object, in file order, value undecoded.
type Field struct {
	Key   string
	Value json.RawMessage
}

// DecodeObject decodes the decoder's next value whole; when it is an
// object it also returns its members and dup, which reports a key given twice
// (compared case-insensitively, as IPED reads VICS keys). A value that is
// not an object comes back with fields nil, for the caller to reject. err
// is a decoding error, fatal to the stream.
func DecodeObject(dec *json.Decoder) (raw json.RawMessage, fields []Field, dup, err error) {
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, nil, err
	}
	if len(raw) == 0 || raw[0] != '{' {
		return raw, nil, nil, nil
	}
	if fields, err = SplitObject(raw, nil); err != nil {
		return nil, nil, nil, err
	}
	return raw, fields, FirstDup(fields), nil
}

// FirstDup reports the first key that appears twice in fields, compared
// case-insensitively, as an error wrapping ErrDuplicateKey; nil when none.
func FirstDup(fields []Field) error {
	dup := func(k string) error { return fmt.Errorf("%w %q", ErrDuplicateKey, k) }
	if len(fields) <= 16 {
		for i := 1; i < len(fields); i++ {
			for _, f := range fields[:i] {
				if strings.EqualFold(f.Key, fields[i].Key) {
					return dup(fields[i].Key)
				}
			}
		}
		return nil
	}
	seen := make(map[string]struct{}, len(fields))
	for _, f := range fields {
		k := strings.ToLower(f.Key)
		if _, ok := seen[k]; ok {
			return dup(f.Key)
		}
		seen[k] = struct{}{}
	}
	return nil
}

// ObjectFields splits a raw JSON object into its members, in order,
// reporting a key given twice.
func ObjectFields(raw json.RawMessage) ([]Field, error) {
	if !json.Valid(raw) {
		return nil, fmt.Errorf("%w: invalid JSON", errSplit)
	}
	fields, err := SplitObject(raw, nil)
	if err == nil {
		err = FirstDup(fields)
	}
	return fields, err
}

// AppendObject appends fields as a JSON object.
func AppendObject(dst []byte, fields []Field) []byte {
	dst = append(dst, '{')
	for i, f := range fields {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, f.Key)
		dst = append(dst, ':')
		dst = compact(dst, f.Value)
	}
	return append(dst, '}')
}

// compact appends v without insignificant space.
func compact(dst []byte, v json.RawMessage) []byte {
	if bytes.IndexAny(v, " \t\r\n") < 0 {
		return append(dst, v...)
	}
	b := bytes.NewBuffer(dst)
	if err := json.Compact(b, v); err != nil {
		return append(dst, "null"...)
	}
	return b.Bytes()
}

// AppendString appends s as a JSON string.
func AppendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always marshals
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// Delim reads the next token and checks that it is the delimiter want.
func Delim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("want %q, found %v", want, tok)
	}
	return nil
}

// IsNull reports a JSON null.
func IsNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// JSONFatal wraps a decoding error as a FatalError at the decoder's
// position; end of input inside a structure becomes ErrTruncated.
func JSONFatal(dec *json.Decoder, g *Guard, err error) error {
	var fe *FatalError
	if errors.As(err, &fe) {
		return err
	}
	off := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("%w: JSON ends inside a value", ErrTruncated)
		off = g.Total()
	case errors.Is(err, ErrTooLong):
		off = g.Total()
	}
	return &FatalError{Line: g.Line(off), Offset: off, Err: err}
}

// SkipRest consumes the rest of an array or object whose opening
// delimiter the decoder has just returned.
func SkipRest(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '[' || d == '{' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}
