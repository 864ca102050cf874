// Package report writes a finished triage to its output directory:
// results.json (everything, with review_order), media.csv (one row per
// file), report.html (a self-contained offline page whose thumbnails stay
// blurred and grey until clicked, its file table split over files-N.html
// pages) and vics.json (a VICS 2.0 case export). Every writer streams the
// result's records from its scratch store: memory does not grow with the
// number of files.
package report

import (
	"bufio"
	"context"
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
func Write(ctx context.Context, dir string, res *triage.Result, generated time.Time) error {
	for _, w := range []struct {
		name string
		fn   func(w *bufio.Writer) error
	}{
		{JSONName, func(w *bufio.Writer) error { return writeJSON(ctx, w, res, generated) }},
		{CSVName, func(w *bufio.Writer) error { return writeCSV(ctx, w, res) }},
		{VICSName, func(w *bufio.Writer) error { return writeVICS(ctx, w, res) }},
	} {
		if err := writeFile(filepath.Join(dir, w.name), w.fn); err != nil {
			return fmt.Errorf("report %s: %w", w.name, err)
		}
	}
	if err := writeHTML(ctx, dir, res, generated); err != nil {
		return fmt.Errorf("report %s: %w", HTMLName, err)
	}
	return nil
}

func writeFile(path string, fn func(*bufio.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 256<<10)
	if err := fn(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
