package plain_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/plain"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

const (
	md5a = "0123456789abcdef0123456789abcdef"
	sha1 = "0123456789abcdef0123456789abcdef01234567"
	h64  = "facd8bcb2a49bcebdec1985298d5fe84bcd006c187c598c720c3c087b3fdb318"
)

func read(t *testing.T, in string, opt codec.Options) ([]model.Entry, []*codec.RecordError) {
	t.Helper()
	r, err := plain.NewReader(strings.NewReader(in), opt)
	if err != nil {
		t.Fatal(err)
	}
	entries, rej, err := formattest.ReadAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	return entries, rej
}

func TestQuirks(t *testing.T) {
	// Griffeye's BOM, X-Ways' "MD5" header, CRLF, upper case, blanks, comments.
	in := "\xEF\xBB\xBFMD5\r\n" + strings.ToUpper(md5a) + "\r\n\r\n# note\r\n  " + sha1 + "  \r\n"
	entries, rej := read(t, in, codec.Options{})
	if len(rej) != 0 || len(entries) != 2 || entries[0].Signal.Value != md5a || entries[1].Signal.Kind != signal.SHA1 {
		t.Fatalf("%v %v", entries, rej)
	}
	// A PDQ header decides 64 digits.
	if e, rej := read(t, "pdq\n"+h64+"\n", codec.Options{}); len(rej) != 0 || e[0].Signal.Kind != signal.PDQ {
		t.Errorf("pdq header: %v %v", e, rej)
	}
}

func TestRejections(t *testing.T) {
	long := strings.Repeat("a", 10<<20)
	in := md5a + "\n" + h64 + "\nxyz\n" + md5a[:30] + "\n" + long + "\n" + sha1 + "\n"
	entries, rej := read(t, in, codec.Options{})
	if len(entries) != 2 || entries[1].Signal.Value != sha1 {
		t.Errorf("entries %v", entries)
	}
	wantLines := []int{2, 3, 4, 5}
	if len(rej) != len(wantLines) {
		t.Fatalf("rejected %v", rej)
	}
	for i, re := range rej {
		if re.Line != wantLines[i] {
			t.Errorf("rejection %d at line %d, want %d: %v", i, re.Line, wantLines[i], re)
		}
	}
	if !errors.Is(rej[0], codec.ErrAmbiguous) || !errors.Is(rej[3], codec.ErrTooLong) || !errors.Is(rej[1], signal.ErrValue) {
		t.Errorf("reasons: %v", rej)
	}
	if len(rej[3].Record) > 100 {
		t.Errorf("excerpt of %d bytes", len(rej[3].Record))
	}
	if e, rej := read(t, h64+"\n", codec.Options{Kind: signal.SHA256}); len(rej) != 0 || e[0].Signal.Kind != signal.SHA256 {
		t.Errorf("with kind: %v %v", e, rej)
	}
}

func TestRoundTripAndGolden(t *testing.T) {
	entries := []model.Entry{
		{Signal: signal.Signal{Kind: signal.MD5, Value: md5a}},
		{Signal: signal.Signal{Kind: signal.SHA1, Value: sha1}},
		{Signal: signal.Signal{Kind: signal.PDQ, Value: h64}},
	}
	var buf bytes.Buffer
	w, _ := plain.NewWriter(&buf, codec.Options{})
	formattest.Write(t, w, entries)
	formattest.Golden(t, "plain.txt", buf.Bytes())
	back, rej := read(t, buf.String(), codec.Options{Kind: signal.PDQ})
	if len(rej) != 0 || len(back) != 3 {
		t.Fatalf("%v %v", back, rej)
	}
	for i := range entries {
		if back[i].Signal != entries[i].Signal {
			t.Errorf("%d: %s, want %s", i, back[i].Signal, entries[i].Signal)
		}
	}
}

func TestWriterRefuses(t *testing.T) {
	w, _ := plain.NewWriter(io.Discard, codec.Options{})
	now := time.Now()
	if err := w.Write(model.Entry{Signal: signal.Signal{Kind: signal.PDQ, Value: h64}}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []model.Entry{
		{Signal: signal.Signal{Kind: signal.SHA256, Value: h64}},
		{Signal: signal.Signal{Kind: signal.MD5, Value: md5a}, Withdrawn: &now},
		{Signal: signal.Signal{Kind: signal.VPDQ, Value: "x"}},
	} {
		if err := w.Write(e); !errors.Is(err, codec.ErrUnsupported) {
			t.Errorf("%v: %v", e.Signal, err)
		}
	}
}

func FuzzPlain(f *testing.F) {
	f.Add([]byte("\xEF\xBB\xBFMD5\r\n" + md5a + "\n" + sha1 + "\n"))
	f.Add([]byte("pdq\n" + h64 + "\n# x\n\n"))
	f.Add([]byte("\xff\xfe" + "a\x00b\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return plain.NewReader(r, codec.Options{MaxRecordBytes: 256})
		})
	})
}
