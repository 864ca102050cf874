package tecsv_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/tecsv"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

const (
	md5a = "0123456789abcdef0123456789abcdef"
	h64  = "facd8bcb2a49bcebdec1985298d5fe84bcd006c187c598c720c3c087b3fdb318"
)

func read(t *testing.T, in string, opt codec.Options) ([]model.Entry, []*codec.RecordError, error) {
	t.Helper()
	r, err := tecsv.NewReader(strings.NewReader(in), opt)
	if err != nil {
		t.Fatal(err)
	}
	return formattest.ReadAll(t, r)
}

func TestVariants(t *testing.T) {
	tests := []struct {
		name, in string
		opt      codec.Options
		src      string
		tags     []string
		extra    string
	}{
		{"simple.HASH_PDQ.te", h64 + ",1234,2020-05-12T16:38:37+0000,media_priority_s0 pdq_sample\n", codec.Options{Kind: signal.PDQ},
			"1234", []string{"media_priority_s0", "pdq_sample"}, ""},
		{"HMA variant", h64 + ",99,1234,2020-05-12T16:38:37+0000,a\n", codec.Options{Kind: signal.PDQ}, "1234", []string{"a"}, `"indicator_id":"99"`},
		{"dataset csv with BOM", "\xEF\xBB\xBFcollab,signal_type,signal_str,category,tags\r\nMy Collab,pdq," + h64 + ",WORTH_INVESTIGATING,x y\r\n", codec.Options{},
			"", []string{"x", "y"}, `"collab":"My Collab"`},
		{"bulk upload with quotes", "# comment\n\ntype,indicator,description\nHASH_PDQ," + h64 + ",\"a, \"\"quoted\"\"\nline\"\n", codec.Options{},
			"", nil, `"description":"a, \"quoted\"\nline"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			entries, rej, err := read(t, tc.in, tc.opt)
			if err != nil || len(rej) != 0 || len(entries) != 1 {
				t.Fatalf("%v %v %v", entries, rej, err)
			}
			e := entries[0]
			formattest.CheckEntry(t, e)
			if e.Signal.Kind != signal.PDQ || e.SourceID != tc.src || !slices.Equal(e.Tags, tc.tags) || !strings.Contains(string(e.Extra), tc.extra) {
				t.Errorf("%+v extra %s", e, e.Extra)
			}
		})
	}
}

func TestRejectionsAndFatal(t *testing.T) {
	in := "type,indicator\nHASH_MD5," + md5a + "\nDOMAIN,x.org\nHASH_MD5,xyz\nHASH_MD5\n\nHASH_MD5," + md5a + "\n"
	entries, rej, err := read(t, in, codec.Options{})
	if err != nil || len(entries) != 2 || len(rej) != 3 {
		t.Fatalf("%v %v %v", entries, rej, err)
	}
	for i, line := range []int{3, 4, 5} {
		if rej[i].Line != line {
			t.Errorf("rejection %d at line %d, want %d: %v", i, rej[i].Line, line, rej[i])
		}
	}
	// Headerless without a kind: 64 digits are ambiguous.
	if _, rej, _ := read(t, h64+",1,2,3\n", codec.Options{}); len(rej) != 1 || !errors.Is(rej[0], codec.ErrAmbiguous) {
		t.Errorf("ambiguous: %v", rej)
	}
	// A 10 MB line ends the read with its line.
	_, _, err = read(t, "type,indicator\nHASH_MD5,"+md5a+"\nHASH_MD5,"+strings.Repeat("a", 10<<20)+"\n", codec.Options{})
	var fe *codec.FatalError
	if !errors.As(err, &fe) || !errors.Is(err, codec.ErrTooLong) || fe.Line != 3 {
		t.Errorf("long line: %v", err)
	}
	// Neither a header nor a known column count.
	if _, _, err := read(t, "a,b,c\n", codec.Options{}); !errors.Is(err, codec.ErrNotFormat) {
		t.Errorf("unknown layout: %v", err)
	}
}

func TestRoundTripAndGolden(t *testing.T) {
	b, err := os.ReadFile("../testdata/shared/threatexchange/pytx-dataset-csv-sample-signals.csv")
	if err != nil {
		t.Fatal(err)
	}
	entries, rej, err := read(t, string(b), codec.Options{})
	if err != nil || len(rej) != 0 || len(entries) != 138 {
		t.Fatalf("%d %v %v", len(entries), rej, err)
	}
	var buf bytes.Buffer
	w, _ := tecsv.NewWriter(&buf, codec.Options{})
	formattest.Write(t, w, entries)
	if buf.String() != string(b) {
		t.Error("pytx's dataset CSV does not come back byte for byte")
	}
	back, _, _ := read(t, buf.String(), codec.Options{})
	for i := range entries {
		if back[i].Signal != entries[i].Signal || string(back[i].Extra) != string(entries[i].Extra) {
			t.Fatalf("%d: %+v", i, back[i])
		}
	}

	buf.Reset()
	w, _ = tecsv.NewWriter(&buf, codec.Options{Name: "haven bank"})
	formattest.Write(t, w, []model.Entry{
		{Signal: signal.Signal{Kind: signal.PDQ, Value: h64}, Tags: []string{"a", "b"}},
		{Signal: signal.Signal{Kind: signal.MD5, Value: md5a}, Extra: []byte(`{"te":{"category":"NON_MALICIOUS"}}`)},
	})
	formattest.Golden(t, "dataset.csv", buf.Bytes())
}

func FuzzTECSV(f *testing.F) {
	f.Add([]byte("collab,signal_type,signal_str,category,tags\nc,pdq," + h64 + ",X,a b\n"))
	f.Add([]byte("# c\n\ntype,indicator\nHASH_MD5," + md5a + "\nDOMAIN,\"x\ny\"\n"))
	f.Add([]byte(md5a + ",1,2,3\n" + md5a + ",1,2,3,4\n"))
	f.Add([]byte("collab,signal_type,signal_str,category,tags\nc,vpdq,\"[\"\"" + h64 + ",100,0.000\"\"]\",,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return tecsv.NewReader(r, codec.Options{MaxRecordBytes: 1024})
		})
	})
}
