package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/havenhash"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/vpdq"
)

// videoView says how much of the query video and of the bank's video
// matched, and where.
type videoView struct {
	QueryPercent     float64       `json:"query_percent"`
	ComparedPercent  float64       `json:"compared_percent"`
	QueryMatched     int           `json:"query_matched"`
	QueryFrames      int           `json:"query_frames"`
	ComparedMatched  int           `json:"compared_matched"`
	ComparedFrames   int           `json:"compared_frames"`
	QuerySegments    []segmentView `json:"query_segments"`
	ComparedSegments []segmentView `json:"compared_segments"`
}

// segmentView is a run of matching frames: times in seconds, frame numbers.
type segmentView struct {
	Start  float64 `json:"start"`
	End    float64 `json:"end"`
	First  int     `json:"first_frame"`
	Last   int     `json:"last_frame"`
	Frames int     `json:"frames"`
}

func newVideoView(c *vpdq.Comparison) *videoView {
	segs := func(ss []vpdq.Segment) []segmentView {
		out := make([]segmentView, len(ss))
		for i, s := range ss {
			out[i] = segmentView{s.Start, s.End, s.First, s.Last, s.Frames}
		}
		return out
	}
	return &videoView{QueryPercent: c.QueryPercent, ComparedPercent: c.ComparedPercent,
		QueryMatched: c.QueryMatched, QueryFrames: c.QueryFrames,
		ComparedMatched: c.ComparedMatched, ComparedFrames: c.ComparedFrames,
		QuerySegments: segs(c.QuerySegments), ComparedSegments: segs(c.ComparedSegments)}
}

// videoFacts are a video match's key=value pairs in text output.
func videoFacts(v *videoView) []string {
	segs := func(ss []segmentView) string {
		parts := make([]string, len(ss))
		for i, s := range ss {
			parts[i] = fmt.Sprintf("%.3f-%.3f", s.Start, s.End)
		}
		return strings.Join(parts, ",")
	}
	return []string{
		fmt.Sprintf("query_percent=%.1f", v.QueryPercent),
		fmt.Sprintf("compared_percent=%.1f", v.ComparedPercent),
		"query_segments=" + segs(v.QuerySegments),
		"compared_segments=" + segs(v.ComparedSegments),
	}
}

// lookupVideo looks a video's frame hashes up in the index.
func (m *matcher) lookupVideo(ctx context.Context, frames []vpdq.Frame) (sigResult, error) {
	sr := sigResult{Kind: signal.VPDQ, Frames: len(frames), Matches: []hitView{}}
	q := match.VideoQuery(frames)
	q.Allowed, q.MinQueryPercent, q.MinComparedPercent = m.allowed, m.minQuery, m.minCompared
	hits, err := m.idx.LookupContext(ctx, q)
	if err != nil {
		return sr, err
	}
	return m.describe(ctx, sr, hits)
}

// hashFileQuery is a video's frames read from a hash file.
type hashFileQuery struct {
	name   string
	frames []vpdq.Frame
}

// maxHashFile bounds the size of a file read as vPDQ hashes.
const maxHashFile = 64 << 20

// readHashFile reads path as vPDQ hashes when it holds them: the
// reference's text format or HMA's JSON form (one video), or `haven hash`
// lines with #t= frames (one video per path). ok is false when the file is
// anything else (an image, a video, other text), which is then hashed as a
// file.
func readHashFile(path string) (qs []hashFileQuery, ok bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 || fi.Size() > maxHashFile {
		return nil, false
	}
	data, err := os.ReadFile(path)
	if err != nil || bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, false
	}
	if frames, err := vpdq.ParseSignal(string(data)); err == nil {
		return []hashFileQuery{{name: path, frames: frames}}, true
	}
	r, err := havenhash.NewReader(bytes.NewReader(data), codec.Options{})
	if err != nil {
		return nil, false
	}
	for {
		e, err := r.Next()
		if err == io.EOF {
			return qs, len(qs) > 0
		}
		if err != nil || e.Signal.Kind != signal.VPDQ {
			return nil, false // not only video frame lines
		}
		frames, err := vpdq.ParseSignal(e.Signal.Value)
		if err != nil {
			return nil, false
		}
		qs = append(qs, hashFileQuery{name: path + ":" + e.SourceID, frames: frames})
	}
}

// fileError says why a file could not be hashed, in words that name the
// problem: an empty file, a video ffmpeg cannot read, a file with sound
// but no picture.
func fileError(res hashedFile) string {
	err := res.err
	switch {
	case errors.Is(err, vpdq.ErrEmptyFile), res.size == 0 && res.sha256 != "":
		return "empty file (0 bytes)"
	case errors.Is(err, vpdq.ErrNoVideo):
		return "no video stream (audio only?): " + err.Error()
	case errors.Is(err, vpdq.ErrNoFrames):
		return "video has no frames: " + err.Error()
	case errors.Is(err, vpdq.ErrUnreadable) && res.video:
		return "corrupt or unreadable video: " + err.Error()
	case errors.Is(err, vpdq.ErrNoFFmpeg):
		return "cannot hash videos, ffmpeg is missing: " + err.Error()
	}
	return err.Error()
}

// hashedFile is what fileError needs of a hashing result.
type hashedFile struct {
	err    error
	size   int64
	sha256 string
	video  bool
}
