package vpdq

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// Info describes the video stream that is hashed, as ffprobe reports it.
type Info struct {
	Stream    int     // index of the stream in the file
	Codec     string  // decoder name, e.g. "h264"
	Format    string  // container, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	Width     int     // coded width in pixels (rotation metadata is ignored)
	Height    int     // coded height
	FrameRate float64 // average frame rate, else the stream's base rate
	RateText  string  // the same as ffprobe prints it, e.g. "30000/1001"
	Duration  float64 // seconds; the stream's, else the container's; 0 if unknown
	Frames    int     // frame count from the container header; 0 if unknown
}

// probeOutput is the part of `ffprobe -of json` output that is read.
type probeOutput struct {
	Streams []struct {
		Index       int    `json:"index"`
		CodecName   string `json:"codec_name"`
		CodecType   string `json:"codec_type"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		AvgRate     string `json:"avg_frame_rate"`
		BaseRate    string `json:"r_frame_rate"`
		Duration    string `json:"duration"`
		NbFrames    string `json:"nb_frames"`
		Disposition struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
	} `json:"streams"`
	Format struct {
		Name     string `json:"format_name"`
		Duration string `json:"duration"`
	} `json:"format"`
}

// maxProbeOutput bounds what is read from ffprobe: a few streams take a
// kilobyte; a file that lists thousands of streams is refused.
const maxProbeOutput = 1 << 20

// probe runs ffprobe on path and returns the stream that vpdq hashes: the
// first video stream that is not an attached picture (cover art).
func probe(ctx context.Context, ffprobe, path string) (Info, error) {
	args := append([]string{"-v", "error", "-hide_banner",
		"-show_entries", "stream=index,codec_name,codec_type,width,height,avg_frame_rate,r_frame_rate,duration,nb_frames" +
			":stream_disposition=attached_pic:format=format_name,duration",
		"-of", "json"}, inputArgs(path)...)
	cmd := exec.CommandContext(ctx, ffprobe, args...)
	var stdout limitedBuffer
	stdout.max = maxProbeOutput
	var stderr tailBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Info{}, fmt.Errorf("ffprobe %s: %w", path, ctx.Err())
		}
		return Info{}, toolError("ffprobe", err, stderr.String())
	}
	if stdout.overflow {
		return Info{}, &ToolError{Tool: "ffprobe", Err: ErrUnreadable, Stderr: "output over 1 MiB"}
	}
	var out probeOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return Info{}, &ToolError{Tool: "ffprobe", Err: ErrUnreadable, Cause: err}
	}
	return pickStream(&out)
}

// pickStream chooses the video stream and checks what decoding needs.
func pickStream(out *probeOutput) (Info, error) {
	for _, s := range out.Streams {
		if s.CodecType != "video" || s.Disposition.AttachedPic != 0 {
			continue
		}
		info := Info{
			Stream: s.Index, Codec: s.CodecName, Format: out.Format.Name,
			Width: s.Width, Height: s.Height, RateText: s.AvgRate,
		}
		info.FrameRate = parseRate(s.AvgRate)
		if info.FrameRate == 0 {
			// As the reference: the base rate when no average is known.
			info.FrameRate, info.RateText = parseRate(s.BaseRate), s.BaseRate
		}
		info.Duration = parseNumber(s.Duration)
		if info.Duration == 0 {
			info.Duration = parseNumber(out.Format.Duration)
		}
		info.Frames = int(parseNumber(s.NbFrames))
		if info.Width <= 0 || info.Height <= 0 {
			return info, fmt.Errorf("%w: video stream %d has no dimensions", ErrUnreadable, s.Index)
		}
		if info.FrameRate <= 0 {
			return info, fmt.Errorf("%w: video stream %d has no frame rate", ErrUnreadable, s.Index)
		}
		return info, nil
	}
	if len(out.Streams) == 0 {
		return Info{}, fmt.Errorf("%w: no streams in %q", ErrNoVideo, out.Format.Name)
	}
	kinds := make([]string, 0, len(out.Streams))
	for _, s := range out.Streams {
		kinds = append(kinds, s.CodecType+"/"+s.CodecName)
	}
	return Info{}, fmt.Errorf("%w: streams are %s", ErrNoVideo, strings.Join(kinds, ", "))
}

// parseRate reads "num/den"; 0 when unknown ("0/0").
func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return parseNumber(s)
	}
	n, err1 := strconv.ParseInt(num, 10, 64)
	d, err2 := strconv.ParseInt(den, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 || d <= 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// parseNumber reads a non-negative finite number; 0 for "N/A" and the like.
func parseNumber(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v >= 0) || v > 1e15 {
		return 0
	}
	return v
}

// toolError classifies a failed run of an ffmpeg tool.
func toolError(tool string, err error, stderr string) error {
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, exec.ErrDot) {
		return &ToolError{Tool: tool, Err: ErrNoFFmpeg, Cause: err}
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		// Could not start it at all (permissions, not an executable).
		return &ToolError{Tool: tool, Err: ErrNoFFmpeg, Cause: err}
	}
	return &ToolError{Tool: tool, Err: ErrUnreadable, Cause: err, Stderr: stderr}
}

// tailBuffer keeps the last few kilobytes written to it: enough of a tool's
// standard error to say why it failed, never all of a chatty log.
type tailBuffer struct{ b []byte }

const tailMax = 4 << 10

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*tailMax {
		t.b = append(t.b[:0], t.b[len(t.b)-tailMax:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	b := t.b
	if len(b) > tailMax {
		b = b[len(b)-tailMax:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

// limitedBuffer keeps at most max bytes and notes whether more came.
type limitedBuffer struct {
	bytes.Buffer
	max      int
	overflow bool
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.Len(); len(p) > room {
		l.overflow = true
		l.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return l.Buffer.Write(p)
}
