package triage

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/ingest"
	"github.com/havenproject/haven/internal/media/exif"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/pdq"
)

// testNow is the clock of the fixture: its camera dates are recent.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// fixture is a seizure on disk and a store whose banks know part of it.
type fixture struct {
	dir  string // the seizure
	data string // the store's data directory
	db   *store.DB
}

type entries []bank.Entry

func (e *entries) Next() (bank.Entry, error) {
	if len(*e) == 0 {
		return bank.Entry{}, io.EOF
	}
	x := (*e)[0]
	*e = (*e)[1:]
	return x, nil
}

func boolp(b bool) *bool { return &b }

var seriesCam = exif.Camera{Make: "Canon", Model: "Canon EOS 5D", Serial: "CAM-777"}

// newFixture builds the collection of the end-to-end test:
//
//	known.jpg             MD5 in bank "hotline" (vics-us 1, series S1, victim not identified)
//	known-identified.jpg  MD5 in "hotline", victim identified
//	near.jpg              half-size recompressed copy of an image whose PDQ is in "hotline"
//	benign.jpg            MD5 in the negative bank "stock"
//	series/new1..4.jpg    new, one camera (serial CAM-777), 30 minutes apart
//	copies/new1.jpg       exact duplicate of series/new1.jpg
//	lone.jpg              new, no EXIF
//	corrupt.jpg           a JPEG cut short and overwritten
//	notes.txt             not media
//	bomb.zip              8 MiB of zeros deflated (expansion-ratio limit)
//	nested.zip            inner.zip holding series/new5.jpg (same camera) and a copy of known.jpg
func newFixture(t *testing.T) *fixture {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	db, err := store.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fx := newFixtureOn(t, db)
	fx.data = data
	return fx
}

// newFixtureOn builds the fixture with its banks in db.
func newFixtureOn(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	fx := &fixture{dir: filepath.Join(t.TempDir(), "seizure"), db: db}

	known := encodeJPEG(t, testImage(1, 320, 240), 90)
	ident := encodeJPEG(t, testImage(2, 320, 240), 90)
	nearSrc := testImage(3, 640, 480)
	near := encodeJPEG(t, halve(nearSrc), 70)
	nearHash, _ := pdq.HashImage(nearSrc)
	benign := encodeJPEG(t, testImage(4, 320, 240), 90)
	var news [][]byte
	for i := range 5 {
		c := seriesCam
		c.Taken = time.Date(2026, 5, 1, 20, 30*i, 0, 0, time.UTC)
		news = append(news, withEXIF(t, encodeJPEG(t, testImage(uint64(10+i), 320, 240), 90), c))
	}
	lone := encodeJPEG(t, testImage(20, 320, 240), 90)
	corrupt := append(append([]byte{}, known[:300]...), make([]byte, 200)...)

	w := func(name string, b []byte) { writeFile(t, filepath.Join(fx.dir, name), b) }
	w("known.jpg", known)
	w("known-identified.jpg", ident)
	w("near.jpg", near)
	w("benign.jpg", benign)
	for i := range 4 {
		w("series/new"+string(rune('1'+i))+".jpg", news[i])
	}
	w("copies/new1.jpg", news[0])
	w("lone.jpg", lone)
	w("corrupt.jpg", corrupt)
	w("notes.txt", []byte("shopping list\n"))
	w("bomb.zip", zipOf(t, [][2]any{{"zeros.bin", make([]byte, 8<<20)}}))
	inner := zipOf(t, [][2]any{{"series/new5.jpg", news[4]}, {"known-copy.jpg", known}})
	w("nested.zip", zipOf(t, [][2]any{{"inner.zip", inner}}))

	svc := bank.NewService(db)
	md5 := func(b []byte) signal.Signal { s, _ := signal.New(signal.MD5, md5hex(b)); return s }
	cat, _ := bank.NewCategory(bank.SchemeVICSUS, "1")
	for _, b := range []bank.Bank{{Name: "hotline", Kind: bank.Positive}, {Name: "stock", Kind: bank.Negative}} {
		if _, err := svc.Create(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	pos := entries{
		{Signal: md5(known), Category: cat, Series: "S1", Flags: bank.Flags{VictimIdentified: boolp(false)}},
		{Signal: md5(ident), Category: cat, Series: "S2", Flags: bank.Flags{VictimIdentified: boolp(true)}},
		{Signal: signal.Signal{Kind: signal.PDQ, Value: nearHash.String()}, Category: cat, Series: "S3"},
	}
	if _, err := svc.Import(ctx, "hotline", &pos, bank.ImportOptions{AddedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	neg := entries{{Signal: md5(benign)}}
	if _, err := svc.Import(ctx, "stock", &neg, bank.ImportOptions{AddedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	return fx
}

// options are the test's triage options: a small ratio floor so that the
// 8 MiB bomb trips MaxRatio.
func (fx *fixture) options(out string) Options {
	return Options{
		Inputs: []string{fx.dir}, OutDir: out, Store: fx.db, Case: "case-A", Seizure: "s1",
		Workers: 2, Ingest: ingest.Limits{RatioFloor: 1 << 20}, Now: func() time.Time { return testNow },
	}
}
