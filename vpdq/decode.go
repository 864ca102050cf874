package vpdq

import (
	"bytes"
	"context"
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
//   - file: and -protocol_whitelist file (see inputArgs).
func ffmpegArgs(path string, info Info, step, w, h int) []string {
	vf := "scale=" + strconv.Itoa(w) + ":" + strconv.Itoa(h)
	if step > 1 {
		vf = "select=not(mod(n\\," + strconv.Itoa(step) + "))," + vf
	}
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-noautorotate"}
	args = append(args, inputArgs(path)...)
	return append(args,
		"-map", "0:"+strconv.Itoa(info.Stream), "-an", "-sn", "-dn",
		"-vsync", "passthrough",
		"-vf", vf, "-sws_flags", "area",
		"-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1")
}

// inputArgs names the input for ffmpeg and ffprobe so that it is only ever
// a local file: "file:" stops a name such as "concat:a|b" or "http:..."
// being taken as a protocol, and the whitelist stops playlist formats
// (HLS, concat) inside the file from opening network addresses.
func inputArgs(path string) []string {
	return []string{"-protocol_whitelist", "file", "-i", "file:" + path}
}

// decodeFrames runs ffmpeg and calls fn with each frame's index among the
// frames written (0, 1, 2, ...) and its pixels, in order. The buffer
// passed to fn comes from bufs and must be returned there by fn's
// consumer. When fn fails, ffmpeg is killed and fn's error returned.
// It returns the lines ffmpeg logged at error level (damaged data that it
// concealed or skipped) when it exited normally, and the last of them.
func decodeFrames(ctx context.Context, ffmpeg string, args []string, frameSize int,
	bufs chan []byte, fn func(k int, pix []byte) error) (errLines int, log string, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, ffmpeg, args...)
	var stderr tailBuffer
	counter := &lineCounter{w: &stderr}
	cmd.Stderr = counter
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, "", fmt.Errorf("ffmpeg: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return 0, "", toolError("ffmpeg", err, "")
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
	case fnErr != nil:
		return 0, "", fnErr
	case werr != nil:
		if ctx.Err() != nil {
			return 0, "", ctx.Err()
		}
		return 0, "", toolError("ffmpeg", werr, stderr.String())
	case partial != nil:
		return 0, "", &ToolError{Tool: "ffmpeg", Err: ErrUnreadable, Cause: partial, Stderr: "output ended inside a frame"}
	}
	return counter.n, stderr.String(), nil
}

// lineCounter passes writes through and counts lines.
type lineCounter struct {
	w io.Writer
	n int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte{'\n'})
	return c.w.Write(p)
}
