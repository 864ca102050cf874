package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/havenproject/haven/internal/triage"
)

// Results is the shape of results.json.
type Results struct {
	Case        string                 `json:"case,omitempty"`
	Seizure     string                 `json:"seizure,omitempty"`
	Generated   time.Time              `json:"generated"`
	Score       float64                `json:"score"`
	Reasons     []string               `json:"reasons"`
	Counts      map[triage.Verdict]int `json:"counts"`
	Archives    int64                  `json:"archives"`
	Groups      []*triage.Group        `json:"groups"`
	Files       []*triage.File         `json:"files"`
	ReviewOrder []string               `json:"review_order"`
	Weights     []triage.Weight        `json:"weights"`
}

func writeJSON(w io.Writer, res *triage.Result, generated time.Time) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(Results{
		Case: res.Case, Seizure: res.Seizure, Generated: generated.UTC(), Score: res.Score, Reasons: res.Reasons,
		Counts: res.Counts, Archives: res.Archives, Groups: res.Groups, Files: res.Files,
		ReviewOrder: res.ReviewOrder, Weights: triage.WeightTable(),
	})
}
