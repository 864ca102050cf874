package vpdq

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/havenproject/haven/internal/sharedtest"
)

// readHashFile parses one of the shared corpus's expected hash files.
func readHashFile(t *testing.T, path string) []Frame {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	frames, err := Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return frames
}

// TestReferenceMatchPercentages recomputes match-hashes-brute's output for
// all 25 pairs of the reference's every-frame hash files: RuleEveryFrame
// must print the same two percentages. RuleUnique's figures are logged
// beside them.
func TestReferenceMatchPercentages(t *testing.T) {
	dir := sharedtest.Dir(t, "testdata", "vpdq")
	f, err := os.Open(filepath.Join(dir, "expected", "match-hashes-brute-every-frame.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[string][]Frame{}
	load := func(name string) []Frame {
		if _, ok := hashes[name]; !ok {
			hashes[name] = readHashFile(t, filepath.Join(dir, "expected", "every-frame", name+".txt"))
		}
		return hashes[name]
	}
	for _, row := range rows[1:] {
		d, _ := strconv.Atoi(row[2])
		qual, _ := strconv.Atoi(row[3])
		q, c := load(row[0]), load(row[1])
		opt := MatchOptions{Rule: RuleEveryFrame, Distance: d, Quality: qual}
		r, err := Compare(q, c, opt)
		if err != nil {
			t.Fatal(err)
		}
		got := [2]string{fmt.Sprintf("%.2f", r.QueryPercent), fmt.Sprintf("%.2f", r.ComparedPercent)}
		if got != [2]string{row[4], row[5]} {
			t.Errorf("%s vs %s: got %v, reference %v", row[0], row[1], got, row[4:6])
		}
		opt.Rule = RuleUnique
		u, _ := Compare(q, c, opt)
		t.Logf("%-30s %-30s every-frame %6.2f %6.2f (ref %s %s)  unique %6.2f %6.2f (%d/%d, %d/%d)",
			row[0], row[1], r.QueryPercent, r.ComparedPercent, row[4], row[5],
			u.QueryPercent, u.ComparedPercent, u.QueryMatched, u.QueryFrames, u.ComparedMatched, u.ComparedFrames)
	}
}
