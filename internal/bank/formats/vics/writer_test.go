package vics_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/vics"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

func roundTrip(t *testing.T, entries []model.Entry, scheme model.Scheme) []model.Entry {
	t.Helper()
	var buf bytes.Buffer
	w, err := vics.NewWriter(&buf, codec.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	formattest.Write(t, w, entries)
	back, rej := read(t, buf.String(), codec.Options{})
	if len(rej) > 0 {
		t.Fatalf("rejected on re-read: %v\n%s", rej, buf.String())
	}
	return back
}

func equalEntries(t *testing.T, got, want []model.Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := formattest.Summary(got[i]), formattest.Summary(want[i])
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("entry %d:\n got %+v\n     extra %s\nwant %+v\n     extra %s", i, g, g.Extra, w, w.Extra)
		}
	}
}

// TestRoundTripShared reads NIST's files, writes them as 2.0 and reads
// them back: every entry, unknown properties included, comes back.
func TestRoundTripShared(t *testing.T) {
	files, _ := filepath.Glob("../testdata/shared/vics/*.json")
	if len(files) == 0 {
		t.Fatal("no shared VICS files")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		entries, _ := read(t, string(b), codec.Options{})
		equalEntries(t, roundTrip(t, entries, model.SchemeVICSUK), entries)
	}
}

func TestRoundTripQuirks(t *testing.T) {
	doc := `{` + ctxUS + `,"value":[
{"MD5":"` + md5a + `","Category":"0","VictimIdentified":"true","Tags":"a,b","Series":"S","PhotoDNA":"AAAA","MediaFiles":[{"FileName":"x.jpg"}],
 "AlternativeHashes":[{"HashName":"PhotoDNA","HashValue":"BBBB"},{"HashName":"PDQ","HashValue":"` + pdqa + `"}],"DateUpdated":"not a date"},
{"SHA1":"` + sha1a + `","Category":null},
{"MD5":"` + md5b + `","Category":3,"DateUpdated":"2020-01-02T03:04:05Z"}]}`
	entries, _ := read(t, doc, codec.Options{})
	equalEntries(t, roundTrip(t, entries, model.SchemeVICSUS), entries)
}

func TestRoundTripSynthetic(t *testing.T) {
	var buf bytes.Buffer
	if err := vics.WriteSynthetic(&buf, 200, 7); err != nil {
		t.Fatal(err)
	}
	entries, rej := read(t, buf.String(), codec.Options{})
	if len(entries) != 600 || len(rej) != 0 {
		t.Fatalf("%d entries, %d rejected", len(entries), len(rej))
	}
	var again bytes.Buffer
	vics.WriteSynthetic(&again, 200, 7)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("same seed, different bytes")
	}
	equalEntries(t, roundTrip(t, entries, model.SchemeVICSUS), entries)
}

func TestWriterGolden(t *testing.T) {
	yes, no := true, false
	q := 90
	cat := func(v string) model.Category { c, _ := model.NewCategory(model.SchemeVICSUS, v); return c }
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	entries := []model.Entry{
		{Signal: signal.Signal{Kind: signal.MD5, Value: md5a}, SourceID: md5a, Category: cat("1"), Series: "bridges",
			Flags: model.Flags{VictimIdentified: &yes, SelfGenerated: &no}, Tags: []string{"t1", "t2"}, AddedAt: when,
			Extra: []byte(`{"vics":{"MediaSize":"1234","AlternativeHashes":[{"HashName":"PhotoDNA","HashValue":"AAAA"}]}}`)},
		{Signal: signal.Signal{Kind: signal.SHA1, Value: sha1a}, SourceID: md5a, Category: cat("1"), Series: "bridges",
			Flags: model.Flags{VictimIdentified: &yes, SelfGenerated: &no}, Tags: []string{"t1", "t2"}, AddedAt: when},
		{Signal: signal.Signal{Kind: signal.PDQ, Value: pdqa}, SourceID: md5a, Category: cat("1"), Series: "bridges", Quality: &q,
			Flags: model.Flags{VictimIdentified: &yes, SelfGenerated: &no}, Tags: []string{"t1", "t2"}, AddedAt: when},
		{Signal: signal.Signal{Kind: signal.PDQ, Value: pdqa}, Category: cat("0")},
		{Signal: signal.Signal{Kind: signal.MD5, Value: md5b}, SourceID: "other"},
	}
	var buf bytes.Buffer
	w, _ := vics.NewWriter(&buf, codec.Options{Scheme: model.SchemeVICSUS})
	formattest.Write(t, w, entries)
	formattest.Golden(t, "vics-us.json", buf.Bytes())

	buf.Reset()
	w, _ = vics.NewWriter(&buf, codec.Options{Scheme: model.SchemeVICSUK})
	formattest.Write(t, w, nil)
	formattest.Golden(t, "vics-uk-empty.json", buf.Bytes())
}

func TestWriterRefuses(t *testing.T) {
	if _, err := vics.NewWriter(&bytes.Buffer{}, codec.Options{}); err == nil {
		t.Error("writer without profile")
	}
	w, _ := vics.NewWriter(&bytes.Buffer{}, codec.Options{Scheme: model.SchemeVICSUS})
	now := time.Now()
	ncmec, _ := model.NewCategory(model.SchemeNCMEC, "A1")
	for _, e := range []model.Entry{
		{Signal: signal.Signal{Kind: signal.MD5, Value: md5a}, Withdrawn: &now},
		{Signal: signal.Signal{Kind: signal.VPDQ, Value: "x"}},
		{Signal: signal.Signal{Kind: signal.MD5, Value: md5a}, Category: ncmec},
	} {
		if err := w.Write(e); !errors.Is(err, codec.ErrUnsupported) {
			t.Errorf("%+v: %v", e, err)
		} else if !strings.HasPrefix(err.Error(), "vics: ") {
			t.Errorf("error %q", err)
		}
	}
}
