package codec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// JSONString reads a JSON string, or a number or boolean as its text
// (producers write numbers as strings and strings as numbers). null gives
// ok false.
func JSONString(v json.RawMessage) (s string, ok bool, err error) {
	if IsNull(v) {
		return "", false, nil
	}
	if n := len(v); n >= 2 && v[0] == '"' && v[n-1] == '"' && bytes.IndexByte(v[1:n-1], '\\') < 0 && bytes.IndexByte(v[1:n-1], '"') < 0 {
		return string(v[1 : n-1]), true, nil // the common case, without a decoder
	}
	if n := len(v); n > 0 && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9') || v[0] == 't' || v[0] == 'f') && json.Valid(v) {
		return string(v), true, nil // a number or boolean, as written
	}
	var x any
	dec := json.NewDecoder(strings.NewReader(string(v)))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return "", false, err
	}
	switch t := x.(type) {
	case string:
		return t, true, nil
	case json.Number:
		return t.String(), true, nil
	case bool:
		return strconv.FormatBool(t), true, nil
	}
	return "", false, fmt.Errorf("want a string, found %.40s", v)
}

// JSONBool reads a flag written as a JSON boolean, as the strings "true" or
// "false" in any case (Clees4All, GLEAPP's distribution), or as 0/1. null
// gives nil: not stated.
func JSONBool(v json.RawMessage) (*bool, error) {
	s, ok, err := JSONString(v)
	if err != nil || !ok {
		return nil, err
	}
	b, err := ParseBool(s)
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// ParseBool reads true/false in any case, 1/0, yes/no.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "y":
		return true, nil
	case "false", "0", "no", "n":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", s)
}

// ParseTime reads the timestamps producers write: RFC 3339 with or without
// fraction; an offset followed by a stray Z (Clees4All's
// "…T10:00:00.000+01:00Z"); an offset without colon ("+0000", Graph API);
// no zone at all (taken as UTC); a date alone; Unix seconds.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 6 && s[len(s)-1] == 'Z' && (s[len(s)-7] == '+' || s[len(s)-7] == '-') && s[len(s)-4] == ':' {
		s = s[:len(s)-1]
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700",
		"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if sec, err := strconv.ParseFloat(s, 64); err == nil && sec >= 0 && sec < 1e11 {
		whole := int64(sec)
		return time.Unix(whole, int64((sec-float64(whole))*1e9)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a timestamp", s)
}

// SplitTags splits a tag string on commas and semicolons (and on spaces
// when spaces is set, as pytx labels are written), dropping empties.
func SplitTags(s string, spaces bool) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || (spaces && (r == ' ' || r == '\t'))
	})
	out := f[:0]
	for _, t := range f {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// MakeExtra returns {"<ns>": {fields...}}, or nil when there are none.
// Entry.Extra is namespaced by format so that a writer finds only what its
// own reader kept.
func MakeExtra(ns string, fields []Field) json.RawMessage {
	if len(fields) == 0 {
		return nil
	}
	b := AppendString([]byte{'{'}, ns)
	b = append(b, ':')
	b = AppendObject(b, fields)
	return append(b, '}')
}

// ExtraFields returns the fields kept under ns in an entry's Extra; nil
// when there are none or Extra is not an object.
func ExtraFields(extra json.RawMessage, ns string) []Field {
	if len(extra) == 0 {
		return nil
	}
	top, err := ObjectFields(extra)
	if err != nil {
		return nil
	}
	for _, f := range top {
		if f.Key == ns {
			fields, err := ObjectFields(f.Value)
			if err != nil {
				return nil
			}
			return fields
		}
	}
	return nil
}

// StringField builds a field whose value is the JSON string s.
func StringField(key, s string) Field {
	return Field{Key: key, Value: AppendString(nil, s)}
}
