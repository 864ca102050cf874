package codec

import (
	"encoding/json"
	"errors"
	"fmt"
)

// errSplit reports a value that SplitObject cannot walk; input that came
// out of a json.Decoder never does.
var errSplit = errors.New("malformed JSON value")

// SplitObject splits a valid JSON object into its members, appending to
// dst; values alias raw. It does what ObjectFields does without a decoder
// (and its allocations), for values a json.Decoder has already checked.
func SplitObject(raw []byte, dst []Field) ([]Field, error) {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return dst, fmt.Errorf("%w: not an object", errSplit)
	}
	i = skipWS(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return dst, nil
	}
	for i < len(raw) {
		end := scanValue(raw, i)
		if end < 0 || raw[i] != '"' {
			return dst, fmt.Errorf("%w: bad key at %d", errSplit, i)
		}
		key, err := unquote(raw[i:end])
		if err != nil {
			return dst, err
		}
		i = skipWS(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return dst, fmt.Errorf("%w: no colon at %d", errSplit, i)
		}
		i = skipWS(raw, i+1)
		end = scanValue(raw, i)
		if end < 0 {
			return dst, fmt.Errorf("%w: bad value at %d", errSplit, i)
		}
		dst = append(dst, Field{Key: key, Value: raw[i:end:end]})
		i = skipWS(raw, end)
		if i < len(raw) && raw[i] == '}' {
			return dst, nil
		}
		if i >= len(raw) || raw[i] != ',' {
			return dst, fmt.Errorf("%w: no comma at %d", errSplit, i)
		}
		i = skipWS(raw, i+1)
	}
	return dst, fmt.Errorf("%w: unterminated object", errSplit)
}

// SplitArray splits a valid JSON array into its elements (aliasing raw)
// and their offsets in raw.
func SplitArray(raw []byte) ([]json.RawMessage, []int, error) {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil, nil, fmt.Errorf("%w: not an array", errSplit)
	}
	var out []json.RawMessage
	var offs []int
	i = skipWS(raw, i+1)
	if i < len(raw) && raw[i] == ']' {
		return out, offs, nil
	}
	for i < len(raw) {
		end := scanValue(raw, i)
		if end < 0 {
			return nil, nil, fmt.Errorf("%w: bad element at %d", errSplit, i)
		}
		out, offs = append(out, raw[i:end:end]), append(offs, i)
		i = skipWS(raw, end)
		if i < len(raw) && raw[i] == ']' {
			return out, offs, nil
		}
		if i >= len(raw) || raw[i] != ',' {
			return nil, nil, fmt.Errorf("%w: no comma at %d", errSplit, i)
		}
		i = skipWS(raw, i+1)
	}
	return nil, nil, fmt.Errorf("%w: unterminated array", errSplit)
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanValue returns the end of the value starting at i, or -1.
func scanValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return -1
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end := scanValue(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// unquote decodes a JSON string token, without a decoder when it has no
// escapes.
func unquote(tok []byte) (string, error) {
	if len(tok) >= 2 {
		plain := true
		for _, c := range tok[1 : len(tok)-1] {
			if c == '\\' || c < 0x20 || c >= 0x80 {
				plain = false
				break
			}
		}
		if plain {
			return string(tok[1 : len(tok)-1]), nil
		}
	}
	var s string
	if err := json.Unmarshal(tok, &s); err != nil {
		return "", fmt.Errorf("%w: %v", errSplit, err)
	}
	return s, nil
}
