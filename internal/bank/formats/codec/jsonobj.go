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

// ReadObject reads the members of an object whose '{' the decoder has just
// returned, through its '}'. dup names the first key given twice (compared
// case-insensitively, as IPED reads VICS keys): the object was read whole,
// so the caller can reject the record and go on. err is a decoding error,
// fatal to the stream.
func ReadObject(dec *json.Decoder) (fields []Field, dup string, err error) {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, "", err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, "", fmt.Errorf("object key is %v", tok)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, "", err
		}
		fields = append(fields, Field{Key: key, Value: v})
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, "", err
	}
	return fields, FirstDup(fields), nil
}

// FirstDup returns the first key that appears twice in fields, compared
// case-insensitively, or "".
func FirstDup(fields []Field) string {
	if len(fields) <= 16 {
		for i := 1; i < len(fields); i++ {
			for _, f := range fields[:i] {
				if strings.EqualFold(f.Key, fields[i].Key) {
					return fields[i].Key
				}
			}
		}
		return ""
	}
	seen := make(map[string]struct{}, len(fields))
	for _, f := range fields {
		k := strings.ToLower(f.Key)
		if _, ok := seen[k]; ok {
			return f.Key
		}
		seen[k] = struct{}{}
	}
	return ""
}

// ObjectFields splits a raw JSON object into its members, in order.
func ObjectFields(raw json.RawMessage) ([]Field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object: %.20s", raw)
	}
	fields, dup, err := ReadObject(dec)
	if err == nil && dup != "" {
		err = fmt.Errorf("%w %q", ErrDuplicateKey, dup)
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
		dst = append(dst, compact(f.Value)...)
	}
	return append(dst, '}')
}

func compact(v json.RawMessage) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		return []byte("null")
	}
	return b.Bytes()
}

// AppendString appends s as a JSON string.
func AppendString(dst []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return append(dst, b...)
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
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("%w: JSON ends inside a value", ErrTruncated)
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
