package triage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/ingest"
	"github.com/havenproject/haven/vpdq"
)

// VideoOptions say how videos are hashed.
type VideoOptions struct {
	// Off leaves videos with their digests only (no ffmpeg).
	Off bool
	// FPS is the number of frames hashed per second of video (vPDQ); 0
	// means one, the reference's default.
	FPS float64
}

// StillPositions are where in a video its still frames are taken, as
// fractions of its duration.
var StillPositions = []float64{0.1, 0.5, 0.9}

// hashVideo computes f's vPDQ with ffmpeg (the file itself when it is on
// disk, else a temporary copy in the output directory) and extracts its
// stills. The error says why a video could not be hashed; it is the file's
// problem, not the run's.
func (a *analyzer) hashVideo(ctx context.Context, it *ingest.Item, f *File) error {
	path := it.LocalPath()
	if path == "" {
		tmp, err := a.spillItem(it)
		if err != nil {
			return err
		}
		defer os.Remove(tmp)
		path = tmp
	}
	opt := vpdq.Options{Workers: 1} // files are already described in parallel
	if a.video.FPS > 0 {
		opt.SecondsPerHash = 1 / a.video.FPS
	}
	t := time.Now()
	v, err := vpdq.HashFile(ctx, path, opt)
	a.stages.add(StageDecode, t)
	if err != nil {
		return videoError(err)
	}
	f.VPDQ = vpdq.FormatSignal(v.Frames)
	f.Width, f.Height, f.Duration = v.Info.Width, v.Info.Height, math.Round(v.Info.Duration*1000)/1000
	t = time.Now()
	f.Stills = a.stills(ctx, path, f.SHA256, v.Info.Duration)
	a.stages.add(StageThumb, t)
	return nil
}

// videoError says in plain words why a video has no vPDQ.
func videoError(err error) error {
	var why string
	switch {
	case errors.Is(err, vpdq.ErrNoVideo):
		why = "no video stream (audio only?)"
	case errors.Is(err, vpdq.ErrNoFrames):
		why = "the video stream has no frames"
	case errors.Is(err, vpdq.ErrEmptyFile):
		why = "empty file"
	case errors.Is(err, vpdq.ErrNoFFmpeg):
		why = "ffmpeg is not installed: videos cannot be hashed"
	case errors.Is(err, vpdq.ErrUnreadable):
		why = "damaged or unsupported video"
	case errors.Is(err, vpdq.ErrLimit), errors.Is(err, vpdq.ErrTooSmall):
		why = "video not hashed"
	default:
		return fmt.Errorf("video: %w", err)
	}
	return fmt.Errorf("video: %s: %w", why, err)
}

// spillItem copies an archive member to a temporary file for ffmpeg.
func (a *analyzer) spillItem(it *ingest.Item) (string, error) {
	dir := filepath.Join(filepath.Dir(a.thumbDir), "tmp")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("video: temporary copy: %w", err)
	}
	w, err := os.CreateTemp(dir, "video-*")
	if err != nil {
		return "", fmt.Errorf("video: temporary copy: %w", err)
	}
	r, err := it.Open()
	if err == nil {
		_, err = io.Copy(w, r)
		r.Close()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(w.Name())
		return "", fmt.Errorf("video: temporary copy: %w", err)
	}
	return w.Name(), nil
}

// stills writes small JPEG stills of the video at StillPositions into the
// thumbnail directory (no audio is ever written) and returns their paths
// relative to the output directory; a still that fails is left out.
func (a *analyzer) stills(ctx context.Context, path, sha string, duration float64) []string {
	if a.thumbDir == "" {
		return nil
	}
	var out []string
	for i, p := range StillPositions {
		name := fmt.Sprintf("%s-%d.jpg", sha[:20], i+1)
		abs := filepath.Join(a.thumbDir, name)
		if _, err := os.Stat(abs); err != nil {
			tmp := abs + ".tmp.jpg"
			scale := fmt.Sprintf("scale='min(%d,iw)':'min(%d,ih)':force_original_aspect_ratio=decrease", ThumbSize, ThumbSize)
			cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", fmt.Sprintf("%.3f", duration*p),
				"-i", path, "-an", "-frames:v", "1", "-vf", scale, "-q:v", "5", tmp)
			if err := cmd.Run(); err != nil || os.Rename(tmp, abs) != nil {
				os.Remove(tmp)
				continue
			}
		}
		out = append(out, "thumbs/"+name)
	}
	return out
}

// linkVideos joins videos of the seizure whose vPDQ match (near-duplicate
// videos: re-encoded, trimmed, rescaled copies).
func linkVideos(videos map[int][]string, u unionFind, marks []uint8) {
	if len(videos) < 2 {
		return
	}
	idx, err := vpdq.NewIndex(vpdq.DefaultMatch)
	if err != nil {
		return
	}
	parsed := map[int][]vpdq.Frame{}
	for i, lines := range videos {
		frames, err := vpdq.ParseSignal(strings.Join(lines, "\n"))
		if err != nil || idx.Add(uint64(i), frames) != nil {
			continue
		}
		parsed[i] = frames
	}
	for i, frames := range parsed {
		ms, err := idx.Search(context.Background(), frames)
		if err != nil {
			continue
		}
		for _, m := range ms {
			if j := int(m.ID); j != i {
				u.union(int32(i), int32(j))
				marks[i] |= markNear
				marks[j] |= markNear
			}
		}
	}
}
