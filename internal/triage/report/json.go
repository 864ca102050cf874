package report

import (
	"bufio"
	"context"
	"encoding/json"
	"time"

	"github.com/havenproject/haven/internal/triage"
)

// Results is the shape of results.json, for readers. The writer streams it
// field by field in this order.
type Results struct {
	Case        string                 `json:"case,omitempty"`
	Seizure     string                 `json:"seizure,omitempty"`
	Generated   time.Time              `json:"generated"`
	Score       float64                `json:"score"`
	Reasons     []string               `json:"reasons"`
	Counts      map[triage.Verdict]int `json:"counts"`
	Archives    int64                  `json:"archives"`
	FileCount   int64                  `json:"file_count"`
	GroupCount  int                    `json:"group_count"`
	Weights     []triage.Weight        `json:"weights"`
	Groups      []*triage.Group        `json:"groups"`
	Files       []FileRow              `json:"files"`
	ReviewOrder []string               `json:"review_order"`
}

// FileRow is one file of results.json: its record and its group.
type FileRow struct {
	*triage.File
	Group int `json:"group,omitempty"`
}

func writeJSON(ctx context.Context, w *bufio.Writer, res *triage.Result, generated time.Time) error {
	head := struct {
		Case       string                 `json:"case,omitempty"`
		Seizure    string                 `json:"seizure,omitempty"`
		Generated  time.Time              `json:"generated"`
		Score      float64                `json:"score"`
		Reasons    []string               `json:"reasons"`
		Counts     map[triage.Verdict]int `json:"counts"`
		Archives   int64                  `json:"archives"`
		FileCount  int64                  `json:"file_count"`
		GroupCount int                    `json:"group_count"`
		Weights    []triage.Weight        `json:"weights"`
	}{res.Case, res.Seizure, generated.UTC(), res.Score, res.Reasons, res.Counts, res.Archives, res.NFiles, res.NGroups, triage.WeightTable()}
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	w.Write(b[:len(b)-1]) // the object stays open for the streamed lists
	list := newJSONList(w, "groups")
	if err := res.EachGroup(ctx, 1, 0, func(g *triage.Group) error { return list.add(g) }); err != nil {
		return err
	}
	list = newJSONList(w, "files")
	if err := res.EachFile(ctx, func(f *triage.File, group int) error { return list.add(FileRow{f, group}) }); err != nil {
		return err
	}
	list = newJSONList(w, "review_order")
	if err := res.EachReview(ctx, func(p string) error { return list.add(p) }); err != nil {
		return err
	}
	_, err = w.WriteString("]}\n")
	return err
}

// jsonList writes `,"name":[` and then each element, comma-separated, one
// a line; the caller closes the list (the next list does it).
type jsonList struct {
	w *bufio.Writer
	n int
}

func newJSONList(w *bufio.Writer, name string) *jsonList {
	if name != "groups" {
		w.WriteString("\n]")
	}
	w.WriteString(`,"` + name + `":[` + "\n")
	return &jsonList{w: w}
}

func (l *jsonList) add(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if l.n > 0 {
		l.w.WriteString(",\n")
	}
	l.n++
	_, err = l.w.Write(b)
	return err
}
