package vpdq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"time"
)

// ffmpegArgs builds the command line that decodes the chosen stream and
// writes the sampled frames as packed RGB24, w×h each, to standard output.
//
// Why each part:
//   - -noautorotate: the reference hashes frames as coded, ignoring the
//     display matrix.
//   - -vsync passthrough: every decoded frame goes through, none duplicated
//     or dropped to fit a constant rate, so select's n is the reference's
//     decode-order frame number (-vsync rather than 5.1's -fps_mode, which
//     older ffmpeg lacks).
//   - select: only the frames that are hashed get converted and piped.
//   - scale=w:h: the frame size is fixed, so a stream that changes
//     resolution cannot change the frame size under the reader; at the
//     native size this is the same conversion ffmpeg would insert.
//   - -sws_flags area: the reference's SWS_AREA for the RGB24 conversion.
func ffmpegArgs(path string, info Info, step, w, h int) []string {
	vf := "scale=" + strconv.Itoa(w) + ":" + strconv.Itoa(h)
	if step > 1 {
		vf = "select=not(mod(n\\," + strconv.Itoa(step) + "))," + vf
	}
	return []string{
		"-nostdin", "-hide_banner", "-loglevel", "error",
		"-noautorotate", "-i", path,
		"-map", "0:" + strconv.Itoa(info.Stream), "-an", "-sn", "-dn",
		"-vsync", "passthrough",
		"-vf", vf, "-sws_flags", "area",
		"-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1",
	}
}

// errStop ends decoding early without it being ffmpeg's fault.
var errStop = errors.New("stop decoding")

// decodeFrames runs ffmpeg and calls fn with each frame's index among the
// frames written (0, 1, 2, ...) and its pixels, in order. The buffer
// passed to fn comes from bufs and must be returned there by fn's
// consumer. When fn fails, ffmpeg is killed and fn's error returned.
// decodeErrors counts the decoding errors ffmpeg reported and survived.
func decodeFrames(ctx context.Context, ffmpeg string, args []string, frameSize int,
	bufs chan []byte, fn func(k int, pix []byte) error) (decodeErrors int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, ffmpeg, args...)
	var stderr tailBuffer
	counter := &lineCounter{w: &stderr, match: []byte("Error while decoding")}
	cmd.Stderr = counter
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, fmt.Errorf("ffmpeg: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return 0, toolError("ffmpeg", err, "")
	}
	k := 0
	var fnErr, partial error
	for {
		var pix []byte
		select {
		case pix = <-bufs:
		case <-ctx.Done():
			fnErr = ctx.Err()
		}
		if fnErr != nil {
			break
		}
		if _, rerr := io.ReadFull(out, pix[:frameSize]); rerr != nil {
			bufs <- pix
			if rerr != io.EOF {
				// A partial frame: ffmpeg died mid-write (Wait says why)
				// or the stream changed size.
				partial = rerr
			}
			break
		}
		if fnErr = fn(k, pix); fnErr != nil {
			break
		}
		k++
	}
	if fnErr != nil {
		cancel()
	}
	werr := cmd.Wait()
	switch {
	case fnErr != nil && !errors.Is(fnErr, errStop):
		return counter.n, fnErr
	case fnErr != nil:
		return counter.n, nil
	case werr != nil:
		if ctx.Err() != nil {
			return counter.n, ctx.Err()
		}
		return counter.n, toolError("ffmpeg", werr, stderr.String())
	case partial != nil:
		return counter.n, &ToolError{Tool: "ffmpeg", Err: ErrUnreadable, Cause: partial, Stderr: "output ended inside a frame"}
	}
	return counter.n, nil
}

// lineCounter passes writes through and counts lines containing match,
// assuming (as ffmpeg's logging does) that a line arrives in one write.
type lineCounter struct {
	w     io.Writer
	match []byte
	n     int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, c.match)
	return c.w.Write(p)
}
