package vpdq

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/havenproject/haven/pdq"
)

// A vPDQ hash travels in hash lists as one string (a "signal"). Three
// forms are in use:
//
//   - the reference's text format, the lines of a vpdq-hash-video file
//     (FormatSignal writes it, with LF and no final newline: Haven's
//     canonical form, which keeps frame numbers);
//   - python-threatexchange's and HMA's form: a JSON array of
//     "pdq_hex,quality,timestamp" strings, one per frame in order, without
//     frame numbers (FormatHMA writes it);
//   - python-threatexchange's older form: a JSON object keyed by frame
//     number, {"0": {"quality": 100, "hash": "…", "timestamp": 0.0}, …}.
//
// ParseSignal reads all three. Frames of the array form are numbered by
// their position, since the form has no frame numbers.

// MaxSignalFrames bounds the frames ParseSignal accepts: a day of video
// at one frame a second. Longer values are not hashes of one video.
const MaxSignalFrames = 86400

// FormatSignal returns frames in the reference's text format, one line
// per frame, joined by LF, without a final newline.
func FormatSignal(frames []Frame) string {
	b := make([]byte, 0, len(frames)*88)
	for i, f := range frames {
		if i > 0 {
			b = append(b, '\n')
		}
		b = f.AppendText(b)
	}
	return string(b)
}

// FormatHMA returns frames in python-threatexchange's and HMA's signal
// form: a JSON array of "pdq_hex,quality,timestamp" strings. It is one
// line, as line-based exchanges (pytx local_file) need.
func FormatHMA(frames []Frame) string {
	b := make([]byte, 0, len(frames)*80+2)
	b = append(b, '[')
	for i, f := range frames {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '"')
		b = append(b, f.Hash.String()...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(f.Quality), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, f.Timestamp, 'f', 3, 64)
		b = append(b, '"')
	}
	return string(append(b, ']'))
}

// ParseSignal reads a vPDQ signal in any of the forms above. Errors wrap
// ErrSyntax. A signal must have at least one frame and at most
// MaxSignalFrames.
func ParseSignal(s string) ([]Frame, error) {
	s = strings.TrimSpace(s)
	var frames []Frame
	var err error
	switch {
	case strings.HasPrefix(s, "["):
		frames, err = parseHMA(s)
	case strings.HasPrefix(s, "{"):
		frames, err = parseOldJSON(s)
	default:
		if strings.Count(s, "\n") >= MaxSignalFrames {
			return nil, &SyntaxError{Msg: fmt.Sprintf("more than %d frames", MaxSignalFrames)}
		}
		frames, err = Parse(strings.NewReader(s))
	}
	switch {
	case err != nil:
		return nil, err
	case len(frames) == 0:
		return nil, &SyntaxError{Msg: "no frames"}
	case len(frames) > MaxSignalFrames:
		return nil, &SyntaxError{Msg: fmt.Sprintf("more than %d frames", MaxSignalFrames)}
	}
	return frames, nil
}

// CanonicalSignal parses s in any form and returns it in the canonical
// form (FormatSignal), so that one video's hash is stored once whatever
// form it came in.
func CanonicalSignal(s string) (string, error) {
	frames, err := ParseSignal(s)
	if err != nil {
		return "", err
	}
	return FormatSignal(frames), nil
}

func parseHMA(s string) ([]Frame, error) {
	var items []string
	if err := strictJSON(s, &items); err != nil {
		return nil, &SyntaxError{Msg: "want a JSON array of \"hash,quality,timestamp\" strings: " + err.Error()}
	}
	if len(items) > MaxSignalFrames {
		return nil, &SyntaxError{Msg: fmt.Sprintf("more than %d frames", MaxSignalFrames)}
	}
	frames := make([]Frame, 0, len(items))
	for i, it := range items {
		fields := strings.Split(it, ",")
		if len(fields) != 3 {
			return nil, &SyntaxError{Msg: fmt.Sprintf("frame %d: want hash,quality,timestamp, got %d fields", i, len(fields))}
		}
		f, err := frameOf(i, fields[0], fields[1], fields[2])
		if err != nil {
			return nil, &SyntaxError{Msg: fmt.Sprintf("frame %d: %s", i, err.Msg)}
		}
		frames = append(frames, f)
	}
	return frames, nil
}

// oldFeature is one frame of the older JSON object form.
type oldFeature struct {
	Quality   *json.Number `json:"quality"`
	Hash      *string      `json:"hash"`
	Timestamp *json.Number `json:"timestamp"`
}

func parseOldJSON(s string) ([]Frame, error) {
	var m map[string]oldFeature
	if err := strictJSON(s, &m); err != nil {
		return nil, &SyntaxError{Msg: "want a JSON object of frames: " + err.Error()}
	}
	if len(m) > MaxSignalFrames {
		return nil, &SyntaxError{Msg: fmt.Sprintf("more than %d frames", MaxSignalFrames)}
	}
	frames := make([]Frame, 0, len(m))
	for k, v := range m {
		if v.Quality == nil || v.Hash == nil || v.Timestamp == nil {
			return nil, &SyntaxError{Msg: fmt.Sprintf("frame %q: want quality, hash and timestamp", k)}
		}
		num, err := parseUint(k, 1<<31-1)
		if err != nil {
			return nil, &SyntaxError{Msg: "frame number: " + err.Error()}
		}
		f, serr := frameOf(num, *v.Hash, v.Quality.String(), v.Timestamp.String())
		if serr != nil {
			return nil, &SyntaxError{Msg: fmt.Sprintf("frame %d: %s", num, serr.Msg)}
		}
		frames = append(frames, f)
	}
	sort.Slice(frames, func(i, j int) bool { return frames[i].Number < frames[j].Number })
	return frames, nil
}

// frameOf checks one frame's fields.
func frameOf(num int, hash, quality, ts string) (Frame, *SyntaxError) {
	q, err := parseUint(quality, 100)
	if err != nil {
		return Frame{}, &SyntaxError{Msg: "quality: " + err.Error()}
	}
	h, err := pdq.Parse(strings.TrimSpace(hash))
	if err != nil {
		return Frame{}, &SyntaxError{Msg: "hash: " + err.Error()}
	}
	t, err := parseSeconds(ts)
	if err != nil {
		return Frame{}, &SyntaxError{Msg: "timestamp: " + err.Error()}
	}
	return Frame{Number: num, Hash: h, Quality: q, Timestamp: t}, nil
}

// strictJSON decodes exactly one JSON value.
func strictJSON(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if err := dec.Decode(new(json.RawMessage)); err != io.EOF {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}
