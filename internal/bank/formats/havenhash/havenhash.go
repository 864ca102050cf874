// Package havenhash reads and writes the `hash,quality,path` lines that
// `haven hash` and Meta's pdq-photo-hasher print, and their dihedral form
// (`orig,rot90,…,flipm,quality,path`, from --dihedral or --pdqdih-across),
// of which only the original hash is kept: dihedral hashes are computed
// for queries, not stored in banks.
//
// The path becomes the entry's SourceID. It is the rest of the line after
// the quality, so it may hold commas.
//
// A video gives one line per sampled frame, its path followed by the
// frame's time as a media fragment (clip.mp4#t=12.000). Consecutive frame
// lines of one path, in time order, are read as one vPDQ entry (frames
// numbered by position: the lines carry no frame numbers) whose SourceID
// is the path without the fragment; the writer writes a vPDQ entry so.
package havenhash

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
	"github.com/havenproject/haven/vpdq"
)

// Reader reads hash,quality,path lines.
type Reader struct {
	lr *codec.LineReader
	// What was read past the end of a video: the next video's first
	// frame, an image's entry, or a rejection or fatal error.
	heldFrame *frameLine
	heldEntry *model.Entry
	heldErr   error
}

// frameLine is one video frame line.
type frameLine struct {
	path  string
	frame vpdq.Frame
}

// NewReader returns a reader of r.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("havenhash: %w", err)
	}
	return &Reader{lr: codec.NewLineReader(text, opt.MaxRecord())}, nil
}

// Next returns the next entry; see codec.Reader.
func (r *Reader) Next() (model.Entry, error) {
	switch {
	case r.heldErr != nil:
		err := r.heldErr
		r.heldErr = nil
		return model.Entry{}, err
	case r.heldEntry != nil:
		e := *r.heldEntry
		r.heldEntry = nil
		return e, nil
	}
	var video []vpdq.Frame
	var path string
	if f := r.heldFrame; f != nil {
		video, path, r.heldFrame = []vpdq.Frame{f.frame}, f.path, nil
	}
	for {
		e, err := r.line()
		if err != nil {
			if video != nil {
				if err != io.EOF {
					r.heldErr = err
				}
				return videoEntry(path, video), nil
			}
			return model.Entry{}, err
		}
		p, ts, isFrame := splitFragment(e.SourceID)
		if !isFrame {
			if video != nil {
				r.heldEntry = &e
				return videoEntry(path, video), nil
			}
			return e, nil
		}
		h, _ := pdq.Parse(e.Signal.Value) // parse checked it
		f := vpdq.Frame{Hash: h, Quality: *e.Quality, Timestamp: ts}
		if video != nil && (p != path || ts < video[len(video)-1].Timestamp || len(video) == vpdq.MaxSignalFrames) {
			r.heldFrame = &frameLine{path: p, frame: f}
			return videoEntry(path, video), nil
		}
		video, path = append(video, f), p
	}
}

// line reads the next non-blank line as an entry.
func (r *Reader) line() (model.Entry, error) {
	for {
		line, err := r.lr.Next()
		if err != nil {
			return model.Entry{}, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		e, err := parse(string(line))
		if err != nil {
			return model.Entry{}, r.lr.Reject(line, err)
		}
		return e, nil
	}
}

// splitFragment splits "clip.mp4#t=12.000" into the path and the time.
func splitFragment(s string) (path string, t float64, ok bool) {
	i := strings.LastIndex(s, "#t=")
	if i < 0 {
		return s, 0, false
	}
	num := s[i+3:]
	if num == "" || strings.Trim(num, "0123456789.") != "" {
		return s, 0, false
	}
	t, err := strconv.ParseFloat(num, 64)
	if err != nil || t > 1e9 {
		return s, 0, false
	}
	return s[:i], t, true
}

// videoEntry is the vPDQ entry of one video's frame lines.
func videoEntry(path string, frames []vpdq.Frame) model.Entry {
	for i := range frames {
		frames[i].Number = i
	}
	return model.Entry{Signal: signal.Signal{Kind: signal.VPDQ, Value: vpdq.FormatSignal(frames)}, SourceID: path}
}

// parse reads one line.
func parse(line string) (model.Entry, error) {
	hash, rest, ok := strings.Cut(line, ",")
	if !ok {
		return model.Entry{}, fmt.Errorf("want hash,quality,path")
	}
	s, err := signal.New(signal.PDQ, hash)
	if err != nil {
		return model.Entry{}, err
	}
	if isDihedral(rest) {
		for range 7 { // rot90 .. flipm
			_, rest, _ = strings.Cut(rest, ",")
		}
	}
	qs, path, ok := strings.Cut(rest, ",")
	if !ok {
		return model.Entry{}, fmt.Errorf("want hash,quality,path: no path")
	}
	q, err := strconv.Atoi(strings.TrimSpace(qs))
	if err != nil || q < 0 || q > 100 {
		return model.Entry{}, fmt.Errorf("quality %q is not 0..100", codec.Excerpt([]byte(qs)))
	}
	return model.Entry{Signal: s, Quality: &q, SourceID: path}, nil
}

// isDihedral reports seven more hashes after the first.
func isDihedral(rest string) bool {
	for range 7 {
		h, r, ok := strings.Cut(rest, ",")
		if !ok || len(h) != 64 || len(signal.Guess(h)) == 0 {
			return false
		}
		rest = r
	}
	return true
}

// Sniff reports a head whose first line is hash,quality,path.
func Sniff(head []byte) bool {
	line, _, _ := strings.Cut(string(head), "\n")
	_, err := parse(strings.TrimSuffix(line, "\r"))
	return err == nil
}

// Writer writes hash,quality,path lines.
type Writer struct {
	w      *bufio.Writer
	buf    []byte
	videos int // videos written without a SourceID
}

// NewWriter returns a writer.
func NewWriter(w io.Writer, _ codec.Options) (*Writer, error) {
	return &Writer{w: bufio.NewWriter(w)}, nil
}

// Write writes a PDQ entry with its quality, or a vPDQ entry as one line
// per frame; the path is its SourceID (for a video without one, "videoN"
// numbered in the file).
func (w *Writer) Write(e model.Entry) error {
	switch {
	case e.Withdrawn != nil:
		return fmt.Errorf("havenhash: %s: %w: no tombstones", e.Signal, codec.ErrUnsupported)
	case e.Signal.Kind == signal.VPDQ:
		return w.writeVideo(e)
	case e.Signal.Kind != signal.PDQ:
		return fmt.Errorf("havenhash: %s: %w: only pdq", e.Signal, codec.ErrUnsupported)
	case e.Quality == nil:
		return fmt.Errorf("havenhash: %s: %w: no quality", e.Signal, codec.ErrUnsupported)
	case strings.ContainsAny(e.SourceID, "\r\n"):
		return fmt.Errorf("havenhash: %s: %w: path has a line break", e.Signal, codec.ErrUnsupported)
	}
	b := append(w.buf[:0], e.Signal.Value...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(*e.Quality), 10)
	b = append(b, ',')
	b = append(b, e.SourceID...)
	w.buf = append(b, '\n')
	_, err := w.w.Write(w.buf)
	return err
}

// Close flushes.
func (w *Writer) Close() error { return w.w.Flush() }

// writeVideo writes a vPDQ entry's frames as `haven hash` prints them.
func (w *Writer) writeVideo(e model.Entry) error {
	frames, err := vpdq.ParseSignal(e.Signal.Value)
	if err != nil {
		return fmt.Errorf("havenhash: %w: %w", signal.ErrValue, err)
	}
	path := e.SourceID
	if strings.ContainsAny(path, "\r\n") {
		return fmt.Errorf("havenhash: vpdq: %w: path has a line break", codec.ErrUnsupported)
	}
	if path == "" {
		w.videos++
		path = "video" + strconv.Itoa(w.videos)
	}
	for _, f := range frames {
		b := append(w.buf[:0], f.Hash.String()...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(f.Quality), 10)
		b = append(b, ',')
		b = append(b, path...)
		b = append(b, "#t="...)
		b = strconv.AppendFloat(b, f.Timestamp, 'f', 3, 64)
		w.buf = append(b, '\n')
		if _, err := w.w.Write(w.buf); err != nil {
			return err
		}
	}
	return nil
}
