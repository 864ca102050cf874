package stopncii_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/stopncii"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

const h64 = "2afc4a5c09628a7961c14d436493bba66b89b831453baa1d556ba385554daa82"

func read(t *testing.T, in string) (*stopncii.Reader, []model.Entry, []*codec.RecordError, error) {
	t.Helper()
	r, err := stopncii.NewReader(strings.NewReader(in), codec.Options{})
	if err != nil {
		return nil, nil, nil, err
	}
	entries, rej, err := formattest.ReadAll(t, r)
	return r, entries, rej, err
}

func TestSharedPages(t *testing.T) {
	b, _ := os.ReadFile("../testdata/shared/stopncii/fetch-hashes-page1-has-more-records.json")
	r, entries, rej, err := read(t, string(b))
	if err != nil || len(rej) != 0 || len(entries) != 2 {
		t.Fatal(entries, rej, err)
	}
	p := r.Page()
	if !p.HasMoreRecords || p.NextPageToken == "" || p.Count != 2 || p.NextSetTimestamp != 1625175071 {
		t.Errorf("page %+v", p)
	}
	if e := entries[0]; e.Signal.Value != h64 || e.AddedAt.Unix() != 1625167804 || e.Withdrawn != nil ||
		!strings.Contains(string(e.Extra), `"caseNumbers":{`) {
		t.Errorf("entry %+v %s", e, e.Extra)
	}
}

func TestStatusesAndRejections(t *testing.T) {
	rec := func(value, status, typ string) string {
		return `{"lastModtimestamp":1700000000,"hashValue":"` + value + `","hashStatus":"` + status + `","signalType":"` + typ + `"}`
	}
	doc := "{\"hashRecords\":[\n" + rec(h64, "Withdrawn", "ImagePDQ") + ",\n" + rec(h64, "Deleted", "ImagePDQ") + ",\n" +
		rec("abc", "Active", "VideoTMK") + ",\n" + rec("abc", "Active", "ImagePDQ") + ",\n" +
		`{"hashValue":"` + h64 + `","HashValue":"x","signalType":"ImagePDQ"}` + ",\n" + `"str"` + ",\n" +
		rec(strings.Repeat("0", 32), "Received", "VideoMD5") + "\n],\"hasMoreRecords\":false}"
	_, entries, rej, err := read(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[0].Withdrawn == nil || entries[1].Withdrawn == nil || entries[2].Signal.Kind != signal.MD5 {
		t.Errorf("entries %+v", entries)
	}
	for i, line := range []int{4, 5, 6, 7} {
		if i >= len(rej) || rej[i].Line != line {
			t.Errorf("rejection %d: want line %d: %v", i, line, rej)
		}
	}
	if len(rej) == 4 && !errors.Is(rej[2], codec.ErrDuplicateKey) {
		t.Errorf("duplicate key: %v", rej[2])
	}
}

func TestNotAPage(t *testing.T) {
	for _, doc := range []string{`{"count":2,"hashFeedbacks":[]}`, `{"pdq":["a","b"]}`, `[1]`} {
		_, entries, _, err := read(t, doc)
		if !errors.Is(err, codec.ErrNotFormat) || len(entries) != 0 {
			t.Errorf("%s: %v", doc, err)
		}
	}
	_, _, _, err := read(t, `{"hashRecords":[{"hashValue":"`+h64+`","signalType":"ImagePDQ"}`)
	var fe *codec.FatalError
	if !errors.As(err, &fe) || !errors.Is(err, codec.ErrTruncated) {
		t.Errorf("truncated: %v", err)
	}
}

func TestRoundTripAndGolden(t *testing.T) {
	b, _ := os.ReadFile("../testdata/shared/stopncii/fetch-hashes-page2-last-with-csp-feedback.json")
	_, entries, _, _ := read(t, string(b))
	var buf bytes.Buffer
	w, _ := stopncii.NewWriter(&buf, codec.Options{})
	formattest.Write(t, w, entries)
	formattest.Golden(t, "page.json", buf.Bytes())
	r, back, rej, err := read(t, buf.String())
	if err != nil || len(rej) != 0 || len(back) != len(entries) || r.Page().Count != 1 {
		t.Fatal(back, rej, err)
	}
	for i := range entries {
		if g, w := formattest.Summary(back[i]), formattest.Summary(entries[i]); g.Signal != w.Signal || string(g.Extra) != string(w.Extra) || !g.AddedAt.Equal(w.AddedAt) {
			t.Errorf("%d:\n%+v\n%+v", i, g, w)
		}
	}
}

func FuzzStopNCII(f *testing.F) {
	for _, name := range []string{"fetch-hashes-page1-has-more-records.json", "fetch-hashes-page2-last-with-csp-feedback.json"} {
		b, _ := os.ReadFile("../testdata/shared/stopncii/" + name)
		f.Add(b)
	}
	f.Add([]byte(`{"hashRecords":[1,[2],{"hashStatus":"Deleted","hashValue":"` + h64 + `","signalType":"imagepdq"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return stopncii.NewReader(r, codec.Options{MaxRecordBytes: 1 << 14})
		})
	})
}
