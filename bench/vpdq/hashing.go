package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/vpdq"
)

var resolutions = map[string][2]int{
	"480p":  {854, 480},
	"720p":  {1280, 720},
	"1080p": {1920, 1080},
}

const genRate = 30 // frames per second of the generated videos

type hashRow struct {
	res     string
	mode    string
	bitrate float64 // Mbit/s of the file
	frames  int     // frames hashed
	wall    time.Duration
	cpu     time.Duration // this process and ffmpeg
}

// measureHashing generates a testsrc2 video per resolution and times
// vpdq.HashFile on it (1 frame per second, all cores), then ffmpeg alone
// decoding and converting the same frames, to show where the time goes.
func measureHashing(ctx context.Context, o *options, stderr io.Writer) ([]hashRow, error) {
	var rows []hashRow
	for _, res := range o.resolutions {
		path, err := generate(ctx, o, res)
		if err != nil {
			return nil, err
		}
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		mbps := float64(st.Size()) * 8 / 1e6 / float64(o.seconds)
		modes := []struct {
			name string
			fn   func() (int, error)
		}{
			{"vpdq.HashFile, 1 frame/s", func() (int, error) {
				r, err := vpdq.HashFile(ctx, path, vpdq.Options{})
				if err != nil {
					return 0, err
				}
				return len(r.Frames), nil
			}},
			{"vpdq.HashFile, 1 frame/s, 1 hashing goroutine", func() (int, error) {
				r, err := vpdq.HashFile(ctx, path, vpdq.Options{Workers: 1})
				if err != nil {
					return 0, err
				}
				return len(r.Frames), nil
			}},
			{"ffmpeg alone: decode, select, RGB24 to /dev/null", func() (int, error) {
				return 0, decodeOnly(ctx, path, res)
			}},
		}
		for _, m := range modes {
			row := hashRow{res: res, mode: m.name, bitrate: mbps}
			for rep := range o.reps {
				c0, t0 := cpuTime(), time.Now()
				n, err := m.fn()
				wall, cpu := time.Since(t0), cpuTime()-c0
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", res, m.name, err)
				}
				fmt.Fprintf(stderr, "%s %s rep %d: %d frames, %.2f s wall, %.2f s cpu\n", res, m.name, rep, n, wall.Seconds(), cpu.Seconds())
				if rep == 0 || wall < row.wall {
					row.wall, row.cpu, row.frames = wall, cpu, n
				}
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// generate writes (once) a testsrc2 video of o.seconds at res.
func generate(ctx context.Context, o *options, res string) (string, error) {
	wh := resolutions[res]
	path := filepath.Join(o.tmp, fmt.Sprintf("vpdq-bench-testsrc2-%s-%ds.mp4", res, o.seconds))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	src := fmt.Sprintf("testsrc2=size=%dx%d:rate=%d:duration=%d", wh[0], wh[1], genRate, o.seconds)
	tmp := path + ".part.mp4"
	cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", src,
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("generate %s: %v: %s", res, err, out)
	}
	return path, os.Rename(tmp, path)
}

// decodeOnly runs the ffmpeg part of HashFile alone: the same decoding,
// frame selection and RGB24 conversion, output discarded.
func decodeOnly(ctx context.Context, path, res string) error {
	wh := resolutions[res]
	vf := "select=not(mod(n\\," + strconv.Itoa(genRate) + ")),scale=" + strconv.Itoa(wh[0]) + ":" + strconv.Itoa(wh[1])
	cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-v", "error", "-noautorotate", "-i", path,
		"-map", "0:0", "-an", "-vsync", "passthrough", "-vf", vf, "-sws_flags", "area",
		"-pix_fmt", "rgb24", "-f", "rawvideo", "-y", "/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

func hashingMarkdown(o *options, cmd string, rows []hashRow) string {
	var b strings.Builder
	b.WriteString(header("vPDQ hashing speed", cmd))
	fmt.Fprintf(&b, "Videos: ffmpeg `testsrc2`, %d s at %d fps, H.264 (libx264 veryfast, yuv420p). "+
		"Speed is seconds of video hashed per second of wall time, from the fastest of %d runs; "+
		"CPU counts this process and ffmpeg together (user + system). Wall times depend on what else the machine runs "+
		"(see the load average); CPU seconds much less, and on an idle machine with these cores wall speed "+
		"approaches CPU speed × cores.\n\n", o.seconds, genRate, o.reps)
	b.WriteString("| video | Mbit/s | what | frames hashed | wall s | video s per wall s | CPU s | video s per CPU s |\n")
	b.WriteString("|---|---:|---|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %.2f | %s | %d | %.2f | %.1f | %.2f | %.1f |\n", r.res, r.bitrate, r.mode, r.frames,
			r.wall.Seconds(), float64(o.seconds)/r.wall.Seconds(), r.cpu.Seconds(), float64(o.seconds)/r.cpu.Seconds())
	}
	return b.String()
}
