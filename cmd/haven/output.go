package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/havenproject/haven/internal/filehash"
	"github.com/havenproject/haven/pdq"
)

// resultWriter prints hashing results in one output format.
type resultWriter interface {
	write(filehash.Result) error
	finish() error
}

var resultWriters = map[string]func(w io.Writer, dihedral bool) resultWriter{
	"text": func(w io.Writer, d bool) resultWriter { return &textWriter{w: w, dihedral: d} },
	"csv":  newCSVWriter,
	"json": func(w io.Writer, d bool) resultWriter { return &jsonWriter{enc: json.NewEncoder(w)} },
}

// textWriter prints what Meta's pdq-photo-hasher prints: hash,quality,path,
// or with --pdqdih-across the eight dihedral hashes before quality,path.
// Failures go to standard error only.
type textWriter struct {
	w        io.Writer
	dihedral bool
}

func (t *textWriter) write(r filehash.Result) error {
	if r.Err != nil {
		return nil
	}
	if r.Video != nil {
		for _, f := range r.Video.Frames {
			if _, err := fmt.Fprintf(t.w, "%s,%d,%s#t=%.3f\n", f.Hash, f.Quality, r.Path, f.Timestamp); err != nil {
				return err
			}
		}
		return nil
	}
	if t.dihedral && r.Dihedral != nil {
		for _, h := range r.Dihedral {
			if _, err := fmt.Fprintf(t.w, "%s,", h); err != nil {
				return err
			}
		}
		_, err := fmt.Fprintf(t.w, "%d,%s\n", r.Quality, r.Path)
		return err
	}
	_, err := fmt.Fprintf(t.w, "%s,%d,%s\n", r.PDQ, r.Quality, r.Path)
	return err
}

func (t *textWriter) finish() error { return nil }

// csvWriter prints a header and one row per hashed file.
type csvWriter struct {
	w        *csv.Writer
	dihedral bool
}

func newCSVWriter(w io.Writer, dihedral bool) resultWriter {
	c := &csvWriter{w: csv.NewWriter(w), dihedral: dihedral}
	header := []string{"path", "pdq", "quality"}
	if dihedral {
		for t := pdq.Rotate90; t <= pdq.FlipMinus1; t++ {
			header = append(header, "pdq_"+t.String())
		}
	}
	header = append(header, "format", "width", "height", "bytes", "frame", "time")
	_ = c.w.Write(header) // errors surface at Flush
	return c
}

func (c *csvWriter) write(r filehash.Result) error {
	if r.Err != nil {
		return nil
	}
	tail := []string{string(r.Format), strconv.Itoa(r.Width), strconv.Itoa(r.Height), strconv.FormatInt(r.Size, 10)}
	if r.Video != nil {
		for _, f := range r.Video.Frames {
			row := []string{r.Path, f.Hash.String(), strconv.Itoa(f.Quality)}
			if c.dihedral {
				row = append(row, make([]string, 7)...) // frames have no dihedral hashes
			}
			row = append(append(row, tail...), strconv.Itoa(f.Number), strconv.FormatFloat(float64(f.Timestamp), 'f', 3, 64))
			if err := c.w.Write(row); err != nil {
				return err
			}
		}
		return nil
	}
	row := []string{r.Path, r.PDQ.String(), strconv.Itoa(r.Quality)}
	if c.dihedral && r.Dihedral != nil {
		for _, h := range r.Dihedral[pdq.Rotate90:] {
			row = append(row, h.String())
		}
	}
	return c.w.Write(append(append(row, tail...), "", ""))
}

func (c *csvWriter) finish() error {
	c.w.Flush()
	return c.w.Error()
}

// jsonRecord is one line of --format json. Field names follow the field's
// usage (md5, sha1, sha256, pdq as lowercase hex).
type jsonRecord struct {
	Path        string            `json:"path"`
	Bytes       int64             `json:"bytes"`
	MD5         string            `json:"md5,omitempty"`
	SHA1        string            `json:"sha1,omitempty"`
	SHA256      string            `json:"sha256,omitempty"`
	Format      string            `json:"format,omitempty"`
	Width       int               `json:"width,omitempty"`
	Height      int               `json:"height,omitempty"`
	Orientation int               `json:"exif_orientation,omitempty"`
	PDQ         string            `json:"pdq,omitempty"`
	Quality     *int              `json:"quality,omitempty"`
	Dihedral    map[string]string `json:"dihedral,omitempty"`
	Frames      []frameRecord     `json:"vpdq,omitempty"`
	Error       string            `json:"error,omitempty"`
}

// frameRecord is one sampled video frame, with the fields of the vPDQ
// reference's text format.
type frameRecord struct {
	Frame     int     `json:"frame"`
	Quality   int     `json:"quality"`
	PDQ       string  `json:"pdq"`
	Timestamp float64 `json:"timestamp"`
}

// jsonWriter prints one object per line, failures included (with their
// error), so that a consumer sees every input.
type jsonWriter struct{ enc *json.Encoder }

func (j *jsonWriter) write(r filehash.Result) error {
	rec := jsonRecord{
		Path: r.Path, Bytes: r.Size, MD5: r.MD5, SHA1: r.SHA1, SHA256: r.SHA256,
		Format: string(r.Format), Width: r.Width, Height: r.Height, Orientation: r.Orientation,
	}
	switch {
	case r.Err != nil:
		rec.Error = r.Err.Error()
	case r.Video != nil:
		rec.Frames = make([]frameRecord, 0, len(r.Video.Frames))
		for _, f := range r.Video.Frames {
			rec.Frames = append(rec.Frames, frameRecord{f.Number, f.Quality, f.Hash.String(), float64(f.Timestamp)})
		}
	default:
		q := r.Quality
		rec.PDQ, rec.Quality = r.PDQ.String(), &q
	}
	if r.Dihedral != nil {
		rec.Dihedral = make(map[string]string, len(r.Dihedral))
		for t, h := range r.Dihedral {
			rec.Dihedral[pdq.Transform(t).String()] = h.String()
		}
	}
	return j.enc.Encode(rec)
}

func (j *jsonWriter) finish() error { return nil }
