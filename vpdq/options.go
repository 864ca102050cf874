package vpdq

import (
	"fmt"
	"runtime"
)

// Options control HashFile. The zero value hashes one frame per second at
// the video's own resolution, like the reference's defaults, within the
// default Limits.
type Options struct {
	// SecondsPerHash is the sampling interval: every floor(SecondsPerHash
	// × frame rate)-th decoded frame is hashed (at least every frame),
	// counted from frame 0, as the reference's -r option. 0 means 1.
	SecondsPerHash float64
	// EveryFrame hashes every decoded frame (the reference's -r 0).
	EveryFrame bool
	// Width and Height, when positive, scale frames to that size before
	// hashing, as the reference's -s option does for both; 0 keeps the
	// video's own size. Hashes of scaled frames differ from native ones.
	Width, Height int
	// Workers is the number of goroutines hashing frames while ffmpeg
	// decodes; 0 means GOMAXPROCS.
	Workers int
	// FFmpeg and FFprobe are the programs to run; empty means "ffmpeg" and
	// "ffprobe" looked up in PATH.
	FFmpeg, FFprobe string
	// Limits bound what is decoded.
	Limits Limits
	// Progress, when set, is called with the number of each sampled frame
	// as it arrives from ffmpeg, before it is hashed, on the goroutine
	// that reads ffmpeg's output: keep it quick.
	Progress func(frame int)
	// Strict makes any decoding error that ffmpeg reports (and recovers
	// from by concealment) fail the video with ErrUnreadable. Otherwise
	// such errors are counted in Result.DecodeErrors and the frames that
	// decoded are hashed.
	Strict bool
}

// Limits bound the resources one video may take. They are checked from
// ffprobe's report before decoding starts, and again from the frames
// actually decoded, since container headers can lie. A zero field means
// its default; there is no "unlimited", set a large value instead.
type Limits struct {
	// MaxBytes is the largest file size (default 64 GiB).
	MaxBytes int64
	// MaxSeconds is the longest duration (default 4 hours).
	MaxSeconds float64
	// MaxFrames is the most decoded frames (default 1,000,000: over four
	// hours at 60 fps).
	MaxFrames int
	// MaxWidth and MaxHeight bound each side (default 16384 each).
	MaxWidth, MaxHeight int
	// MaxPixels bounds width × height (default 7680×4320, 8K UHD). A frame
	// costs 11 bytes per pixel while it is hashed.
	MaxPixels int
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = 64 << 30
	}
	if l.MaxSeconds <= 0 {
		l.MaxSeconds = 4 * 3600
	}
	if l.MaxFrames <= 0 {
		l.MaxFrames = 1_000_000
	}
	if l.MaxWidth <= 0 {
		l.MaxWidth = 16384
	}
	if l.MaxHeight <= 0 {
		l.MaxHeight = 16384
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = 7680 * 4320
	}
	return l
}

func (o Options) withDefaults() (Options, error) {
	if o.SecondsPerHash < 0 || o.SecondsPerHash > 1e6 || o.SecondsPerHash != o.SecondsPerHash {
		return o, fmt.Errorf("vpdq: SecondsPerHash %g out of range", o.SecondsPerHash)
	}
	if o.Width < 0 || o.Height < 0 {
		return o, fmt.Errorf("vpdq: negative frame size %dx%d", o.Width, o.Height)
	}
	if o.SecondsPerHash == 0 {
		o.SecondsPerHash = 1
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.FFmpeg == "" {
		o.FFmpeg = "ffmpeg"
	}
	if o.FFprobe == "" {
		o.FFprobe = "ffprobe"
	}
	o.Limits = o.Limits.withDefaults()
	return o, nil
}

// step is the sampling interval in decoded frames: the reference's
// int(secondsPerHash × frameRate), at least 1.
func (o Options) step(fps float64) int {
	if o.EveryFrame {
		return 1
	}
	s := int(o.SecondsPerHash * fps)
	if s < 1 {
		return 1
	}
	return s
}

// checkProbe compares ffprobe's report with the limits before decoding.
func (l Limits) checkProbe(info Info, size int64, w, h int) error {
	switch {
	case size > l.MaxBytes:
		return &LimitError{What: "bytes", Value: float64(size), Max: float64(l.MaxBytes)}
	case info.Width > l.MaxWidth:
		return &LimitError{What: "width", Value: float64(info.Width), Max: float64(l.MaxWidth)}
	case info.Height > l.MaxHeight:
		return &LimitError{What: "height", Value: float64(info.Height), Max: float64(l.MaxHeight)}
	case info.Width*info.Height > l.MaxPixels:
		return &LimitError{What: "pixels per frame", Value: float64(info.Width * info.Height), Max: float64(l.MaxPixels)}
	case w > l.MaxWidth || h > l.MaxHeight || w*h > l.MaxPixels:
		return &LimitError{What: "pixels per frame", Value: float64(w * h), Max: float64(l.MaxPixels)}
	case info.Duration > l.MaxSeconds:
		return &LimitError{What: "duration (s)", Value: info.Duration, Max: l.MaxSeconds}
	case info.Frames > l.MaxFrames:
		return &LimitError{What: "frames", Value: float64(info.Frames), Max: float64(l.MaxFrames)}
	case info.Duration*info.FrameRate > float64(l.MaxFrames)+1:
		return &LimitError{What: "frames", Value: info.Duration * info.FrameRate, Max: float64(l.MaxFrames)}
	}
	return nil
}

// checkFrame checks a decoded frame's number against the limits: headers
// may understate the length, frames do not.
func (l Limits) checkFrame(number int, fps float64) error {
	if number >= l.MaxFrames {
		return &LimitError{What: "frames", Value: float64(number + 1), Max: float64(l.MaxFrames)}
	}
	if s := float64(number) / fps; s > l.MaxSeconds {
		return &LimitError{What: "duration (s)", Value: s, Max: l.MaxSeconds}
	}
	return nil
}
