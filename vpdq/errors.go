package vpdq

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Errors of video hashing. Each failure of HashFile wraps exactly one of
// them, so that callers can tell with errors.Is what went wrong and report
// it (a corrupt upload is the uploader's problem; a missing ffmpeg is the
// operator's).
var (
	// ErrNoFFmpeg: ffmpeg or ffprobe is not installed (or not executable).
	ErrNoFFmpeg = errors.New("vpdq: ffmpeg not found")
	// ErrEmptyFile: the file has zero bytes.
	ErrEmptyFile = errors.New("vpdq: empty file")
	// ErrUnreadable: ffmpeg cannot read the file as media: not a video
	// container, corrupt headers, an unsupported codec, or decoding failed.
	ErrUnreadable = errors.New("vpdq: cannot read video")
	// ErrNoVideo: the file is media but has no video stream (audio only,
	// or only a cover picture).
	ErrNoVideo = errors.New("vpdq: no video stream")
	// ErrNoFrames: the video stream decoded to no frames at all.
	ErrNoFrames = errors.New("vpdq: video has no frames")
	// ErrTooSmall: frames are under 5 pixels on a side, which PDQ cannot
	// hash (the reference fails such videos too).
	ErrTooSmall = errors.New("vpdq: frames too small to hash")
	// ErrLimit: the video exceeds a configured limit; the error is a
	// *LimitError naming which.
	ErrLimit = errors.New("vpdq: video over limit")
)

// ToolError is ffmpeg or ffprobe failing on a file. It wraps ErrUnreadable
// (or ErrNoFFmpeg when the tool could not be started) and keeps the end of
// the tool's standard error, which says why.
type ToolError struct {
	Tool   string // "ffmpeg" or "ffprobe"
	Err    error  // the sentinel: ErrUnreadable or ErrNoFFmpeg
	Cause  error  // the process error (exit status), if any
	Stderr string // last lines the tool printed
}

func (e *ToolError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %v", e.Tool, e.Err)
	if e.Cause != nil {
		fmt.Fprintf(&b, " (%v)", e.Cause)
	}
	if msg := strings.TrimSpace(toolNoise.ReplaceAllString(e.Stderr, "")); msg != "" {
		fmt.Fprintf(&b, ": %s", strings.ReplaceAll(msg, "\n", "; "))
	}
	return b.String()
}

// toolNoise matches what ffmpeg puts before its messages and says nothing
// to a reader: the "[mov,mp4,… @ 0x55…] " context of a log line and the
// "file:/path/of/input: " that repeats the file name the caller reports.
var toolNoise = regexp.MustCompile(`(?m)^\[[^\]\n]* @ 0x[0-9a-f]+\] |^file:.*?: `)

func (e *ToolError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

// LimitError reports which limit a video exceeds. It wraps ErrLimit.
type LimitError struct {
	What  string  // "duration (s)", "frames", "width", "height", "pixels per frame", "bytes"
	Value float64 // the video's value, or a lower bound found while decoding
	Max   float64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%v: %s %g exceeds %g", ErrLimit, e.What, e.Value, e.Max)
}

func (e *LimitError) Unwrap() error { return ErrLimit }
