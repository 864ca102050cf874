package triage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestDuplicatesReused: copies of a content described earlier in the run
// take its record (not decoded again) and keep their own paths.
func TestDuplicatesReused(t *testing.T) {
	dir := t.TempDir()
	img := encodeJPEG(t, testImage(60, 320, 240), 85)
	writeFile(t, filepath.Join(dir, "in", "a", "0.jpg"), img)
	for i := range 200 {
		writeFile(t, filepath.Join(dir, "in", "b", fmt.Sprintf("copy%03d.jpg", i)), img)
	}
	c := new(Counters)
	res, err := RunCollected(t, context.Background(), Options{Inputs: []string{filepath.Join(dir, "in")}, OutDir: filepath.Join(dir, "out"),
		Workers: 1, Counters: c})
	if err != nil {
		t.Fatal(err)
	}
	// Records reach the cache when the journal is flushed (every 64).
	if n := c.Duplicates.Load(); n < 100 {
		t.Errorf("%d copies reused a record, want most of 200", n)
	}
	first := res.Files[0]
	if len(res.Files) != 201 || first.PDQ == "" || first.Thumb == "" {
		t.Fatalf("%d files; first %+v", len(res.Files), first)
	}
	seen := map[string]bool{}
	for _, f := range res.Files {
		if f.SHA256 != first.SHA256 || f.PDQ != first.PDQ || f.Verdict != New || f.Thumb != first.Thumb || seen[f.Path] {
			t.Errorf("%s: %+v", f.Path, f)
		}
		seen[f.Path] = true
	}
	if len(res.Groups) != 1 || res.Groups[0].Media[0].NFiles != 201 {
		t.Errorf("groups %d", len(res.Groups))
	}
}
