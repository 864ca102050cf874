package triage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// TestCrossCase triages the fixture as case A, then a second seizure in case
// B holding a copy of one of A's new photos and a new photo from the same
// camera: B's series must say where else it was seen.
func TestCrossCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { crossCase(t, newFixtureOn(t, db)) })
}

func crossCase(t *testing.T, fx *fixture) {
	ctx := context.Background()
	if _, err := RunCollected(t, ctx, fx.options(t.TempDir())); err != nil {
		t.Fatal(err)
	}
	// Running the same seizure again replaces its records.
	if _, err := RunCollected(t, ctx, fx.options(t.TempDir())); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := fx.db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM triage_media`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 10 { // distinct media of the fixture
		t.Errorf("%d triage_media rows after two runs of one seizure, want 10", rows)
	}

	b := filepath.Join(t.TempDir(), "b")
	data, err := os.ReadFile(filepath.Join(fx.dir, "series", "new2.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(b, "dcim", "img_0002.jpg"), data)
	c := seriesCam
	c.Taken = time.Date(2026, 5, 20, 10, 0, 0, 0, time.UTC)
	writeFile(t, filepath.Join(b, "dcim", "img_0100.jpg"), withEXIF(t, encodeJPEG(t, testImage(30, 320, 240), 90), c))
	// A recompressed copy of A's lone new photo, EXIF-less: only PDQ links it.
	writeFile(t, filepath.Join(b, "lone-again.jpg"), encodeJPEG(t, testImage(20, 320, 240), 60))
	res, err := RunCollected(t, ctx, Options{Inputs: []string{b}, OutDir: t.TempDir(), Store: fx.db, Case: "case-B", Seizure: "phone",
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	top := res.Groups[0]
	reasons := strings.Join(top.Reasons, "; ")
	if top.Kind != Series || len(top.Media) != 2 || !strings.Contains(reasons, "also seen in case case-A / seizure s1") ||
		!strings.Contains(reasons, "(same camera)") {
		t.Errorf("case B top group %s with %d media: %q", top.Kind, len(top.Media), reasons)
	}
	if strings.Contains(reasons, "not seen in any other case") {
		t.Errorf("case B says never seen: %q", reasons)
	}
	var lone *Group
	for _, g := range res.Groups {
		if strings.HasSuffix(g.Media[0].Files[0], "lone-again.jpg") {
			lone = g
		}
	}
	if lone == nil || !strings.Contains(strings.Join(lone.Reasons, "; "), "also seen in case case-A / seizure s1 (near-duplicate)") {
		t.Errorf("recompressed copy not linked to case A: %+v", lone)
	}
}
