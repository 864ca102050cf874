package triage

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestWeightsDocumented keeps docs/triage.md's table equal to Weights.
func TestWeightsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/triage.md")
	if err != nil {
		t.Skipf("docs/triage.md not found: %v", err)
	}
	for _, w := range WeightTable() {
		row := fmt.Sprintf("| %s | %g |", w.Name, w.Points)
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/triage.md lacks the row %q", row)
		}
	}
}

func TestScore(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	taken := func(h int) *time.Time { x := now.Add(-30*24*time.Hour + time.Duration(h)*time.Hour); return &x }
	cam := func(h int) *EXIF { return &EXIF{Make: "Nikon", Model: "D3", Serial: "77", Taken: taken(h)} }
	media := func(v Verdict, e *EXIF, hits ...Hit) *Media {
		return &Media{Verdict: v, File: &File{Verdict: v, EXIF: e, Matches: hits}, Files: []string{"x"}}
	}
	yes, no := true, false
	tests := []struct {
		name      string
		g         *Group
		knownCams map[string]string
		want      float64
	}{
		{"series from a known-unidentified camera", &Group{Kind: Series, Cameras: []string{"Nikon D3 #77"},
			Media: []*Media{media(New, cam(0)), media(New, cam(1))}}, map[string]string{"Nikon D3 #77": "S9"},
			2*10 + 15 + 10 + 25 + 10 + 15 + 40 + 10},
		{"lone new image", &Group{Kind: Single, Media: []*Media{media(New, nil)}}, nil, 10 + 10},
		{"known, victim identified", &Group{Kind: Single, Media: []*Media{media(Known, nil, Hit{VictimIdentified: &yes})}}, nil, -50},
		{"known, victim not identified", &Group{Kind: Single, Media: []*Media{media(Known, nil, Hit{VictimIdentified: &no})}}, nil, 3},
		{"benign", &Group{Kind: Single, Media: []*Media{media(BenignKnown, nil)}}, nil, -100},
		{"near-known", &Group{Kind: Single, Media: []*Media{media(NearKnown, nil)}}, nil, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score(tt.g, now, tt.knownCams)
			if tt.g.Score != tt.want || len(tt.g.Reasons) == 0 {
				t.Errorf("score %v, want %v; reasons %q", tt.g.Score, tt.want, tt.g.Reasons)
			}
		})
	}
}
