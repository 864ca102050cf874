package tecsv

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// Header is the header row of `threatexchange dataset --csv`.
var Header = []string{"collab", "signal_type", "signal_str", "category", "tags"}

// Writer writes the pytx dataset CSV. The collab column is Options.Name
// or, when empty, the collab kept from the source; category comes from the
// source too (pytx categories are not a Haven scheme).
type Writer struct {
	cw      *csv.Writer
	name    string
	started bool
	row     []string
}

// NewWriter returns a writer.
func NewWriter(w io.Writer, opt codec.Options) (*Writer, error) {
	return &Writer{cw: csv.NewWriter(w), name: opt.Name, row: make([]string, len(Header))}, nil
}

// Write writes one row; see codec.Writer.
func (w *Writer) Write(e model.Entry) error {
	switch {
	case e.Withdrawn != nil:
		return fmt.Errorf("tecsv: %s: %w: no tombstones in a dataset CSV", e.Signal, codec.ErrUnsupported)
	case e.Signal.Value == "" || e.Signal.Kind == "":
		return fmt.Errorf("tecsv: %q: %w", e.Signal, codec.ErrUnsupported)
	}
	if !w.started {
		w.started = true
		if err := w.cw.Write(Header); err != nil {
			return err
		}
	}
	collab, category := w.name, ""
	for _, f := range codec.ExtraFields(e.Extra, ns) {
		s, _, _ := codec.JSONString(f.Value)
		switch strings.ToLower(f.Key) {
		case "collab":
			if collab == "" {
				collab = s
			}
		case "category":
			category = s
		}
	}
	// pytx's signal_str: a vPDQ value in HMA's JSON array form.
	value, err := codec.HMASignal(e.Signal)
	if err != nil {
		return fmt.Errorf("tecsv: %w", err)
	}
	w.row[0], w.row[1], w.row[2], w.row[3], w.row[4] = collab, kindName(e.Signal.Kind), value, category, strings.Join(e.Tags, " ")
	return w.cw.Write(w.row)
}

// kindName is the pytx signal type name.
func kindName(k signal.Kind) string { return string(k) }

// Close flushes.
func (w *Writer) Close() error {
	if !w.started {
		w.started = true
		if err := w.cw.Write(Header); err != nil {
			return err
		}
	}
	w.cw.Flush()
	return w.cw.Error()
}
