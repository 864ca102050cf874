package havenhash

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
	"github.com/havenproject/haven/vpdq"
)

// JSONReader reads the JSON lines of `haven hash --format json`: one
// object per file with its path, digests, and an image's PDQ hash and
// quality or a video's frames ("vpdq"). Each file gives one entry per
// signal (MD5, SHA-1, SHA-256, then PDQ or vPDQ), all with the path as
// SourceID, so that a video's MD5, which StopNCII and HMA exchange, comes
// with its vPDQ hash. A file that could not be hashed ("error") gives its
// digests only, and an empty file nothing (the digests of zero bytes
// would match every empty file).
type JSONReader struct {
	lr      *codec.LineReader
	pending []model.Entry
}

// NewJSONReader returns a reader of r.
func NewJSONReader(r io.Reader, opt codec.Options) (*JSONReader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("havenjson: %w", err)
	}
	return &JSONReader{lr: codec.NewLineReader(text, opt.MaxRecord())}, nil
}

// fileRecord is one line, as cmd/haven's jsonRecord writes it.
type fileRecord struct {
	Path    *string `json:"path"`
	Bytes   int64   `json:"bytes"`
	MD5     string  `json:"md5"`
	SHA1    string  `json:"sha1"`
	SHA256  string  `json:"sha256"`
	PDQ     string  `json:"pdq"`
	Quality *int    `json:"quality"`
	Frames  []struct {
		Frame     int     `json:"frame"`
		Quality   int     `json:"quality"`
		PDQ       string  `json:"pdq"`
		Timestamp float64 `json:"timestamp"`
	} `json:"vpdq"`
	Error string `json:"error"`
}

// Next returns the next entry; see codec.Reader.
func (r *JSONReader) Next() (model.Entry, error) {
	for len(r.pending) == 0 {
		line, err := r.lr.Next()
		if err != nil {
			return model.Entry{}, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		es, err := fileEntries(line)
		if err != nil {
			return model.Entry{}, r.lr.Reject(line, err)
		}
		r.pending = es
	}
	e := r.pending[0]
	r.pending = r.pending[1:]
	return e, nil
}

// fileEntries reads one line.
func fileEntries(line []byte) ([]model.Entry, error) {
	var rec fileRecord
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&rec); err != nil {
		return nil, fmt.Errorf("want a JSON object of haven hash: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON object")
	}
	if rec.Path == nil {
		return nil, fmt.Errorf("no path: not haven hash output")
	}
	if rec.Bytes == 0 {
		return nil, nil
	}
	var es []model.Entry
	add := func(k signal.Kind, v string, q *int) error {
		if v == "" {
			return nil
		}
		s, err := codec.NewSignal(k, v)
		if err != nil {
			return err
		}
		es = append(es, model.Entry{Signal: s, Quality: q, SourceID: *rec.Path})
		return nil
	}
	for _, d := range []struct {
		k signal.Kind
		v string
	}{{signal.MD5, rec.MD5}, {signal.SHA1, rec.SHA1}, {signal.SHA256, rec.SHA256}} {
		if err := add(d.k, d.v, nil); err != nil {
			return nil, err
		}
	}
	if rec.Error != "" {
		return es, nil
	}
	if rec.Quality != nil && (*rec.Quality < 0 || *rec.Quality > 100) {
		return nil, fmt.Errorf("quality %d is not 0..100", *rec.Quality)
	}
	if err := add(signal.PDQ, rec.PDQ, rec.Quality); err != nil {
		return nil, err
	}
	if len(rec.Frames) > 0 {
		frames := make([]vpdq.Frame, len(rec.Frames))
		for i, f := range rec.Frames {
			h, err := pdq.Parse(f.PDQ)
			if err != nil {
				return nil, fmt.Errorf("vpdq frame %d: %w", i, err)
			}
			frames[i] = vpdq.Frame{Number: f.Frame, Hash: h, Quality: f.Quality, Timestamp: f.Timestamp}
		}
		// Through the text form, which checks ranges and rounds times as
		// the canonical form does.
		if err := add(signal.VPDQ, vpdq.FormatSignal(frames), nil); err != nil {
			return nil, err
		}
	}
	return es, nil
}
