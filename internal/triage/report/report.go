// Package report writes a finished triage to its output directory:
// results.json (everything, with review_order), media.csv (one row per
// file), report.html (a self-contained offline page whose thumbnails stay
// blurred and grey until clicked) and vics.json (a VICS 2.0 case export).
package report

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/havenproject/haven/internal/triage"
)

// The files Write creates in the output directory.
const (
	JSONName = "results.json"
	CSVName  = "media.csv"
	HTMLName = "report.html"
	VICSName = "vics.json"
)

// Write writes every report of res into dir, each through a temporary file
// renamed into place so that a reader never sees half a report.
func Write(dir string, res *triage.Result, generated time.Time) error {
	for _, w := range []struct {
		name string
		fn   func(f *os.File) error
	}{
		{JSONName, func(f *os.File) error { return writeJSON(f, res, generated) }},
		{CSVName, func(f *os.File) error { return writeCSV(f, res) }},
		{HTMLName, func(f *os.File) error { return writeHTML(f, res, generated) }},
		{VICSName, func(f *os.File) error { return writeVICS(f, res) }},
	} {
		if err := writeFile(filepath.Join(dir, w.name), w.fn); err != nil {
			return fmt.Errorf("report %s: %w", w.name, err)
		}
	}
	return nil
}

func writeFile(path string, fn func(*os.File) error) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// groupOf maps each provenance path to its group's id.
func groupOf(res *triage.Result) map[string]int {
	out := map[string]int{}
	for _, g := range res.Groups {
		for _, m := range g.Media {
			for _, p := range m.Files {
				out[p] = g.ID
			}
		}
	}
	return out
}
