package triage

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTriageEndToEnd(t *testing.T) {
	fx := newFixture(t)
	res, err := RunCollected(t, context.Background(), fx.options(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*File{}
	var problems []*File
	for _, f := range res.Files {
		if f.Problem {
			problems = append(problems, f)
			continue
		}
		byPath[strings.TrimPrefix(f.Path, fx.dir+"/")] = f
	}
	want := map[string]Verdict{
		"known.jpg":                              Known,
		"known-identified.jpg":                   Known,
		"near.jpg":                               NearKnown,
		"benign.jpg":                             BenignKnown,
		"series/new1.jpg":                        New,
		"series/new2.jpg":                        New,
		"series/new3.jpg":                        New,
		"series/new4.jpg":                        New,
		"copies/new1.jpg":                        New,
		"lone.jpg":                               New,
		"corrupt.jpg":                            Unreadable,
		"notes.txt":                              NotMedia,
		"nested.zip":                             NotMedia,
		"nested.zip!/inner.zip":                  NotMedia,
		"bomb.zip":                               NotMedia,
		"nested.zip!/inner.zip!/series/new5.jpg": New,
		"nested.zip!/inner.zip!/known-copy.jpg":  Known,
	}
	for p, v := range want {
		f := byPath[p]
		if f == nil {
			t.Errorf("%s: missing from the results", p)
			continue
		}
		if f.Verdict != v {
			t.Errorf("%s: verdict %s (%s), want %s", p, f.Verdict, f.Why, v)
		}
	}
	for p, f := range byPath {
		if _, ok := want[p]; !ok {
			t.Errorf("unexpected file %s (%s)", p, f.Verdict)
		}
	}
	if len(problems) != 1 || !strings.HasPrefix(rel(fx.dir, problems[0].Path), "bomb.zip") ||
		problems[0].Verdict != Unreadable || !strings.Contains(problems[0].Why, "MaxRatio") {
		t.Errorf("problems %+v, want one MaxRatio problem for bomb.zip", problems)
	}
	checkMatches(t, byPath)
	checkGroups(t, res, fx.dir)
}

func checkMatches(t *testing.T, byPath map[string]*File) {
	t.Helper()
	k := byPath["known.jpg"]
	if len(k.Matches) != 1 || k.Matches[0].Scheme != "vics-us" || k.Matches[0].Category != "1" || k.Matches[0].Series != "S1" ||
		k.Matches[0].VictimIdentified == nil || *k.Matches[0].VictimIdentified {
		t.Errorf("known.jpg matches %+v", k.Matches)
	}
	n := byPath["near.jpg"]
	if len(n.Matches) != 1 || n.Matches[0].Kind != "pdq" || n.Matches[0].Distance == 0 || n.Matches[0].Distance > 31 {
		t.Errorf("near.jpg matches %+v", n.Matches)
	}
	e := byPath["series/new2.jpg"].EXIF
	if e == nil || e.Serial != "CAM-777" || e.Make != "Canon" || e.Taken == nil {
		t.Errorf("series/new2.jpg EXIF %+v", e)
	}
	if f := byPath["series/new2.jpg"]; f.PDQ == "" || f.Quality < 50 || f.Width != 320 || f.Thumb == "" {
		t.Errorf("series/new2.jpg facts %+v", f)
	}
}

func checkGroups(t *testing.T, res *Collected, dir string) {
	t.Helper()
	top := res.Groups[0]
	if top.Kind != Series || len(top.Media) != 5 {
		t.Fatalf("top group %s with %d media, want the series of 5: %+v", top.Kind, len(top.Media), top.Reasons)
	}
	var files []string
	for _, m := range top.Media {
		files = append(files, m.Files...)
	}
	if len(files) != 6 {
		t.Errorf("series files %v, want 6 (new1 stacked twice)", files)
	}
	reasons := strings.Join(top.Reasons, "; ")
	for _, w := range []string{"5 new items from one camera", "CAM-777", "within 2.0 hours", "captured recently", "not seen in any other case"} {
		if !strings.Contains(reasons, w) {
			t.Errorf("top reasons %q lack %q", reasons, w)
		}
	}
	if res.Score != top.Score {
		t.Errorf("seizure score %v, top group %v", res.Score, top.Score)
	}
	// The order of review: the series first, then the rest; known with an
	// identified victim and benign material last.
	if !strings.HasPrefix(res.ReviewOrder[0], filepath.Join(dir, "series")) && !strings.Contains(res.ReviewOrder[0], "new") {
		t.Errorf("review starts with %s", res.ReviewOrder[0])
	}
	n := len(res.ReviewOrder)
	tail := []string{rel(dir, res.ReviewOrder[n-2]), rel(dir, res.ReviewOrder[n-1])}
	if !slices.Equal(tail, []string{"known-identified.jpg", "benign.jpg"}) {
		t.Errorf("review ends with %v", tail)
	}
	media := 0
	for _, c := range []Verdict{Known, NearKnown, New, BenignKnown} {
		media += res.Counts[c]
	}
	if n != media {
		t.Errorf("review order has %d paths, %d media files", n, media)
	}
}

func rel(dir, p string) string { return strings.TrimPrefix(p, dir+"/") }

func keysOf(m map[string]*File) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
