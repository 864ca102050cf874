package ncmec_test

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/ncmec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

func open(t *testing.T, name string) *ncmec.Reader {
	t.Helper()
	f, err := os.Open("../testdata/shared/ncmec/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r, err := ncmec.NewReader(f, codec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestPage(t *testing.T) {
	r := open(t, "entries-page1-images-videos-deleted-feedback.xml")
	entries, rej, err := formattest.ReadAll(t, r)
	if err != nil || len(rej) != 0 {
		t.Fatal(rej, err)
	}
	var got []string
	for _, e := range entries {
		formattest.CheckEntry(t, e)
		s := e.SourceID + " " + e.Signal.String() + " " + e.Category.String()
		if e.Withdrawn != nil {
			s += " withdrawn " + e.Withdrawn.Format("15:04")
		}
		got = append(got, s)
	}
	want := []string{
		"42-image1 md5:a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1 ncmec:A1",
		"42-image1 sha1:a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1 ncmec:A1",
		"43-image4 : uncategorised withdrawn 15:10",
		"42-video1 md5:b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1 uncategorised",
		"42-video1 sha1:b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1 uncategorised",
		"42-video4 : uncategorised withdrawn 15:20",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ex := string(entries[0].Extra)
	for _, s := range []string{`"pdna":"a1a1`, `"feedback":"\u003caffirmativeFeedback`, `"member":"Example Member"`, `"media":"image"`} {
		if !strings.Contains(ex, s) {
			t.Errorf("Extra lacks %s: %s", s, ex)
		}
	}
	if entries[0].AddedBy != "Example Member" || entries[0].AddedAt.IsZero() {
		t.Errorf("provenance: %+v", entries[0])
	}
	if !strings.Contains(r.NextPage(), "start=2001&size=1000") {
		t.Errorf("next page %q", r.NextPage())
	}
}

func TestRejectionsAndFatal(t *testing.T) {
	const head = `<?xml version="1.0"?><queryResult xmlns="https://hashsharing.ncmec.org/hashsharing/v2"><images count="3">` + "\n"
	doc := head + `<image><member id="1">M</member><id>a</id><fingerprints><md5>xyz</md5></fingerprints></image>` + "\n" +
		`<image><member id="1">M</member><id>b</id><fingerprints><pdna>x</pdna><md5></md5></fingerprints></image>` + "\n" +
		`<image><member id="1">M</member><id>c</id><classification>Z9</classification><fingerprints><pdq>` +
		strings.Repeat("ab", 32) + `</pdq></fingerprints></image>` + "\n" +
		`<image><member id="1">M</member><id>d</id><fingerprints><md5>` + strings.Repeat("0", 32)
	r, err := ncmec.NewReader(strings.NewReader(doc), codec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	entries, rej, err := formattest.ReadAll(t, r)
	if len(entries) != 1 || entries[0].Signal.Kind != signal.PDQ || !strings.Contains(string(entries[0].Extra), `"classification":"Z9"`) {
		t.Errorf("entries %+v", entries)
	}
	if len(rej) != 2 || rej[0].Line != 2 || rej[1].Line != 3 || rej[0].Record != "image 1-a" {
		t.Errorf("rejected %v", rej)
	}
	var fe *codec.FatalError
	if !errors.As(err, &fe) || !errors.Is(err, codec.ErrTruncated) || fe.Line != 5 {
		t.Errorf("truncated: %v", err)
	}
}

func TestNotAnEntriesPage(t *testing.T) {
	for _, name := range []string{"status.xml", "feedback-available-reasons.xml"} {
		f, _ := os.Open("../testdata/shared/ncmec/" + name)
		_, err := ncmec.NewReader(f, codec.Options{})
		f.Close()
		if !errors.Is(err, codec.ErrNotFormat) {
			t.Errorf("%s: %v", name, err)
		}
	}
	var _ model.Entry
}

func FuzzNCMEC(f *testing.F) {
	for _, name := range []string{"entries-page1-images-videos-deleted-feedback.xml", "entries-page2-empty-feedback-element.xml", "entries-empty-count-zero.xml"} {
		b, _ := os.ReadFile("../testdata/shared/ncmec/" + name)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return ncmec.NewReader(r, codec.Options{MaxRecordBytes: 1 << 14})
		})
	})
}
