package triage_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/bank/formats"
	"github.com/havenproject/haven/internal/bank/formats/vics"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/triage"
	"github.com/havenproject/haven/internal/triage/report"
)

// triageReport runs the fixture's triage and writes its reports.
func triageReport(t *testing.T) (string, string, *triage.Collected) {
	t.Helper()
	out := t.TempDir()
	dir, opt := triage.NewFixtureOptions(t, out)
	res, err := triage.RunCollected(t, context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Write(context.Background(), out, res.Result, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return dir, out, res
}

func TestReportJSONAndCSV(t *testing.T) {
	_, out, res := triageReport(t)
	var got report.Results
	b, err := os.ReadFile(filepath.Join(out, report.JSONName))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.ReviewOrder, res.ReviewOrder) || len(got.Files) != len(res.Files) || len(got.Groups) != len(res.Groups) {
		t.Errorf("results.json: %d review, %d files, %d groups; want %d, %d, %d",
			len(got.ReviewOrder), len(got.Files), len(got.Groups), len(res.ReviewOrder), len(res.Files), len(res.Groups))
	}
	if got.Case != "case-A" || got.Seizure != "s1" || len(got.Weights) == 0 || got.Groups[0].Kind != triage.Series {
		t.Errorf("results.json header %q %q, %d weights, top %s", got.Case, got.Seizure, len(got.Weights), got.Groups[0].Kind)
	}
	f, err := os.Open(filepath.Join(out, report.CSVName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(res.Files)+1 || rows[0][0] != "path" || rows[0][1] != "verdict" {
		t.Errorf("media.csv: %d rows for %d files, header %v", len(rows), len(res.Files), rows[0])
	}
}

// TestVICSExportReadBack reads vics.json with our VICS importer and checks
// every Media against the strict list of properties the writer uses.
func TestVICSExportReadBack(t *testing.T) {
	_, out, res := triageReport(t)
	b, err := os.ReadFile(filepath.Join(out, report.VICSName))
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Context string `json:"@odata.context"`
		Value   []struct {
			Media []map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	if c := vics.ParseContext(raw.Context); c.Version != "2.0" || c.Profile != "US" || c.Fragment != "Cases" {
		t.Errorf("context %+v", c)
	}
	media := 0
	for _, g := range res.Groups {
		media += len(g.Media)
	}
	if len(raw.Value) != 1 || len(raw.Value[0].Media) != media {
		t.Fatalf("VICS export: %d cases; want 1 with %d Media", len(raw.Value), media)
	}
	for _, m := range raw.Value[0].Media {
		for k := range m {
			if !slices.Contains(report.VICSMediaFields, k) {
				t.Errorf("Media property %q not in the documented list", k)
			}
		}
		for _, k := range []string{"MediaID", "MD5", "SHA1", "MediaSize", "IsPrecategorized", "MediaFiles", "AlternativeHashes"} {
			if _, ok := m[k]; !ok {
				t.Errorf("Media lacks %s", k)
			}
		}
	}
	r, err := formats.NewReader(formats.VICS, strings.NewReader(string(b)), formats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[signal.Kind]int{}
	categorised := 0
	for {
		e, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		kinds[e.Signal.Kind]++
		if e.Signal.Kind == signal.MD5 && !e.Category.IsZero() {
			categorised++
			if e.Category.String() != "vics-us:1" || (e.Series != "S1" && e.Series != "S2") {
				t.Errorf("categorised Media %s: %s series %q", e.Signal.Value, e.Category, e.Series)
			}
		}
	}
	if kinds[signal.MD5] != media || kinds[signal.SHA1] != media || kinds[signal.SHA256] != media || kinds[signal.PDQ] != media {
		t.Errorf("signals read back %v, want %d of each", kinds, media)
	}
	if categorised != 2 { // known.jpg (stacked with its copy) and known-identified.jpg
		t.Errorf("%d categorised Media, want 2", categorised)
	}
}

// TestVICSSegments: a video that matched a bank's vPDQ entry carries the
// matched parts as VICS Segments, with the bank's category.
func TestVICSSegments(t *testing.T) {
	out, opt := triage.NewVideoFixture(t)
	res, err := triage.RunCollected(t, context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Write(context.Background(), out, res.Result, time.Now()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, report.VICSName))
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Value []struct {
			Media []struct {
				MD5      string
				Segments []map[string]json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range raw.Value[0].Media {
		for _, s := range m.Segments {
			n++
			for k := range s {
				if !slices.Contains(report.VICSSegmentFields, k) {
					t.Errorf("Segment property %q not in the documented list", k)
				}
			}
			var start, end string
			var cat int
			json.Unmarshal(s["Start"], &start)
			json.Unmarshal(s["End"], &end)
			json.Unmarshal(s["Category"], &cat)
			if cat != 2 || !strings.HasPrefix(start, "00:00:") || end < start {
				t.Errorf("segment %s–%s category %d", start, end, cat)
			}
		}
	}
	if n == 0 {
		t.Error("no Segments in the VICS export")
	}
}

// TestReportPages: the file table is split over pages of PageRows rows;
// results.json and media.csv still hold every file.
func TestReportPages(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	n := report.PageRows + 7
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("d%02d", i%50), fmt.Sprintf("note-%05d.txt", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(fmt.Sprintf("note %d\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := triage.RunCollected(t, context.Background(), triage.Options{Inputs: []string{dir}, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Write(context.Background(), out, res.Result, time.Now()); err != nil {
		t.Fatal(err)
	}
	rows := func(name string) int {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `href="files-2.html"`) && name == report.HTMLName {
			t.Errorf("%s does not link to page 2", name)
		}
		_, table, _ := strings.Cut(string(b), `<table class="files"`)
		return strings.Count(table, "<tr><td>")
	}
	if a, b := rows(report.HTMLName), rows(report.PageName(2)); a != report.PageRows || b != 7 {
		t.Errorf("rows per page %d, %d; want %d, 7", a, b, report.PageRows)
	}
	if _, err := os.Stat(filepath.Join(out, report.PageName(3))); err == nil {
		t.Error("a third page was written")
	}
	var got report.Results
	b, _ := os.ReadFile(filepath.Join(out, report.JSONName))
	if err := json.Unmarshal(b, &got); err != nil || len(got.Files) != n || got.FileCount != int64(n) {
		t.Errorf("results.json: %d files (count %d), want %d (%v)", len(got.Files), got.FileCount, n, err)
	}
}
