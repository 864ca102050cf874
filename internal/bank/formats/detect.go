package formats

import (
	"bytes"
	"regexp"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/havenhash"
	"github.com/havenproject/haven/internal/bank/formats/plain"
	"github.com/havenproject/haven/internal/bank/formats/pytx"
	"github.com/havenproject/haven/internal/bank/formats/tecsv"
)

// DetectSize is how much of a file Detect wants to see.
const DetectSize = 8 << 10

// xmlRoot finds the first element name after the prolog and comments.
var xmlRoot = regexp.MustCompile(`^(?:\s*<\?[^>]*\?>|\s*<!--(?:[^-]|-[^-])*-->|\s*<!DOCTYPE[^>]*>)*\s*<([A-Za-z_][\w.:-]*)`)

// Detect guesses the format from the first few KB of a file (DetectSize).
// It recognises structure, not validity: the reader still decides. Plain
// lists whose 64-digit values need Options.Kind are detected as plain.
func Detect(head []byte) (format string, ok bool) {
	text := codec.DecodeHead(head)
	trimmed := bytes.TrimLeft(text, " \t\r\n")
	if len(trimmed) == 0 {
		return "", false
	}
	switch trimmed[0] {
	case '{':
		return detectJSON(bytes.ToLower(trimmed))
	case '<':
		m := xmlRoot.FindSubmatch(trimmed)
		if m == nil {
			return "", false
		}
		switch string(bytes.TrimPrefix(m[1], []byte("ns2:"))) {
		case "queryResult":
			return NCMEC, true
		case "ReportIndex":
			return C4P, true
		}
		return "", false
	}
	for _, c := range []struct {
		name  string
		sniff func([]byte) bool
	}{{HavenHash, havenhash.Sniff}, {TECSV, tecsv.Sniff}, {Pytx, pytx.Sniff}, {Plain, plain.Sniff}} {
		if c.sniff(text) {
			return c.name, true
		}
	}
	return "", false
}

func detectJSON(lower []byte) (string, bool) {
	has := func(s string) bool { return bytes.Contains(lower, []byte(s)) }
	switch {
	case has(`"odata.metadata"`) || has(`"@odata.context"`) || (has(`"value"`) && has(`"md5"`)):
		return VICS, true
	case has(`"hashrecords"`):
		return StopNCII, true
	case has(`"raw_indicator"`):
		return TEGraph, true
	case bytes.HasPrefix(lower, []byte(`{"path":`)) && has(`"sha256":`):
		return HavenJSON, true
	}
	return "", false
}
