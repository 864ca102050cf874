package codec_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	_ "github.com/havenproject/haven/internal/bank/formats/formattest" // -update
)

func TestLineReader(t *testing.T) {
	in := "a\r\nbb\n" + strings.Repeat("x", 100) + "\n\nlast"
	lr := codec.NewLineReader(strings.NewReader(in), 10)
	type got struct {
		line string
		n    int
		off  int64
		err  bool
	}
	var all []got
	for {
		b, err := lr.Next()
		if err == io.EOF {
			break
		}
		all = append(all, got{string(b), lr.Line(), lr.Offset(), err != nil})
		if err != nil && !errors.Is(err, codec.ErrTooLong) {
			t.Fatal(err)
		}
	}
	want := []got{{"a", 1, 0, false}, {"bb", 2, 3, false}, {"", 3, 6, true}, {"", 4, 107, false}, {"last", 5, 108, false}}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("got %+v\nwant %+v", all, want)
	}
}

func TestDecodeUTF16(t *testing.T) {
	tests := map[string][]byte{
		"le bom":    {0xFF, 0xFE, 'a', 0, 0x3D, 0xD8, 0x00, 0xDE, 'b', 0}, // a 😀 b
		"be bom":    {0xFE, 0xFF, 0, 'a', 0xD8, 0x3D, 0xDE, 0x00, 0, 'b'},
		"le plain":  {'a', 0, 'x', 0},
		"lone high": {0xFF, 0xFE, 0x3D, 0xD8, 'b', 0},
		"odd tail":  {0xFF, 0xFE, 'a', 0, 'b'},
	}
	want := map[string]string{"le bom": "a😀b", "be bom": "a😀b", "le plain": "ax", "lone high": "\uFFFDb", "odd tail": "a"}
	for name, in := range tests {
		r, _, err := codec.Decode(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if string(b) != want[name] || (name == "odd tail") != (err != nil) {
			t.Errorf("%s: %q, %v", name, b, err)
		}
	}
}

func TestGuard(t *testing.T) {
	g := codec.NewGuard(strings.NewReader("a\nb\nc\n"+strings.Repeat("x", 200<<10)), 1024)
	buf := make([]byte, 4)
	g.Read(buf)
	if g.Line(0) != 1 || g.Line(2) != 2 || g.Line(3) != 2 {
		t.Errorf("lines %d %d %d", g.Line(0), g.Line(2), g.Line(3))
	}
	g.Mark(4)
	if g.Line(4) != 3 {
		t.Errorf("after mark: %d", g.Line(4))
	}
	_, err := io.ReadAll(g)
	if !errors.Is(err, codec.ErrTooLong) {
		t.Errorf("past the limit: %v", err)
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2019, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, s := range []string{"2019-03-01T09:00:00Z", "2019-03-01T10:00:00.000+01:00Z", "2019-03-01T09:00:00+0000",
		"2019-03-01T09:00:00", "1551430800", "2019-03-01 10:00:00+01:00"} {
		if got, err := codec.ParseTime(s); err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v", s, got, err)
		}
	}
	if _, err := codec.ParseTime("yesterday"); err == nil {
		t.Error("yesterday parsed")
	}
}

func TestJSONValues(t *testing.T) {
	for raw, want := range map[string]string{`"a\"b"`: `a"b`, `12`: "12", `true`: "true", `"x"`: "x"} {
		if s, ok, err := codec.JSONString(json.RawMessage(raw)); s != want || !ok || err != nil {
			t.Errorf("%s: %q %v %v", raw, s, ok, err)
		}
	}
	for raw, want := range map[string]bool{`"True"`: true, `"false"`: false, `1`: true, `false`: false} {
		if b, err := codec.JSONBool(json.RawMessage(raw)); err != nil || *b != want {
			t.Errorf("%s: %v", raw, err)
		}
	}
	if b, err := codec.JSONBool(json.RawMessage(`null`)); b != nil || err != nil {
		t.Error("null flag")
	}
	if _, err := codec.JSONBool(json.RawMessage(`"maybe"`)); err == nil {
		t.Error("maybe")
	}
}

func FuzzSplitObject(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":[1,{"c":"}"}],"d\"":"\\"}`))
	f.Add([]byte(` { } `))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m map[string]json.RawMessage
		if json.Unmarshal(data, &m) != nil {
			return
		}
		fields, err := codec.ObjectFields(data)
		if err != nil {
			if !errors.Is(err, codec.ErrDuplicateKey) {
				t.Fatalf("valid object refused: %v", err)
			}
			return
		}
		for _, f := range fields {
			if !json.Valid(f.Value) || !bytes.Equal(bytes.TrimSpace(f.Value), bytes.TrimSpace(m[f.Key])) {
				t.Fatalf("field %q = %s, json says %s", f.Key, f.Value, m[f.Key])
			}
		}
		if len(fields) != len(m) {
			t.Fatalf("%d fields, json has %d", len(fields), len(m))
		}
	})
}

func TestRecordErrorIsRejected(t *testing.T) {
	var err error = &codec.RecordError{Line: 3, Err: errors.New("x")}
	var r interface{ Rejected() bool }
	if !errors.As(err, &r) || !r.Rejected() || !errors.Is(err, codec.ErrRecord) {
		t.Error("RecordError does not say it rejects one record")
	}
}
