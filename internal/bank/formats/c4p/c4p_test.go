package c4p_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/havenproject/haven/internal/bank/formats/c4p"
	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/model"
)

const sample = "../testdata/shared/c4all/c4p-index-utf16-declared-ascii-bytes.xml"

func readAll(t *testing.T, in []byte, opt codec.Options) ([]model.Entry, []*codec.RecordError, error) {
	t.Helper()
	r, err := c4p.NewReader(bytes.NewReader(in), opt)
	if err != nil {
		return nil, nil, err
	}
	return formattest.ReadAll(t, r)
}

// TestDeclaredUTF16 reads C4All's file as written (ASCII bytes under a
// utf-16 declaration) and the same text really encoded as UTF-16LE.
func TestDeclaredUTF16(t *testing.T) {
	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	var u16 bytes.Buffer
	u16.Write([]byte{0xFF, 0xFE})
	for _, u := range utf16.Encode([]rune(string(b))) {
		binary.Write(&u16, binary.LittleEndian, u)
	}
	for name, in := range map[string][]byte{"as written": b, "real utf-16le": u16.Bytes()} {
		entries, rej, err := readAll(t, in, codec.Options{})
		if err != nil || len(rej) != 0 || len(entries) != 30 {
			t.Fatalf("%s: %d entries, %v, %v", name, len(entries), rej, err)
		}
		e := entries[0]
		formattest.CheckEntry(t, e)
		if e.Signal.Value != "3a8d0baf42f139ef3d91c5d717e51e1f" || e.SourceID != "1" || !e.Category.IsZero() ||
			!strings.Contains(string(e.Extra), `"category":"0"`) || !strings.Contains(string(e.Extra), `"fullpath":"test\\Single Files`) {
			t.Errorf("%s: %+v %s", name, e, e.Extra)
		}
	}
	entries, _, _ := readAll(t, b, codec.Options{Scheme: model.SchemeVICSUS})
	if entries[0].Category.String() != "vics-us:0" {
		t.Errorf("with a scheme: %s", entries[0].Category)
	}
}

func TestRefusals(t *testing.T) {
	if _, _, err := readAll(t, []byte(`<?xml version="1.0"?><status/>`), codec.Options{}); !errors.Is(err, codec.ErrNotFormat) {
		t.Errorf("other root: %v", err)
	}
	if _, _, err := readAll(t, []byte(`<?xml version="1.0" encoding="ebcdic"?><ReportIndex/>`), codec.Options{}); !errors.Is(err, codec.ErrNotFormat) {
		t.Errorf("unknown charset: %v", err)
	}
	entries, rej, err := readAll(t, []byte("<ReportIndex>\n<Image><id>1</id><hash>zz</hash></Image>\n<Image><hash>"), codec.Options{})
	if len(entries) != 0 || len(rej) != 1 || rej[0].Line != 2 || !errors.Is(err, codec.ErrTruncated) {
		t.Errorf("%v %v %v", entries, rej, err)
	}
}

func FuzzC4P(f *testing.F) {
	b, _ := os.ReadFile(sample)
	f.Add(b[:min(len(b), 2000)])
	f.Add([]byte("<ReportIndex><Image><hash>3A8D0BAF42F139EF3D91C5D717E51E1F</hash><id>1</id></Image></ReportIndex>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return c4p.NewReader(r, codec.Options{MaxRecordBytes: 1 << 14})
		})
	})
}
