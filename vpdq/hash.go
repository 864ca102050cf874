package vpdq

import (
	"context"
	"crypto/md5"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"

	"github.com/havenproject/haven/pdq"
)

// Result is the vPDQ hash of a video file and what was learnt on the way.
type Result struct {
	// Frames are the sampled frames' hashes in frame order.
	Frames []Frame
	// Info describes the video stream hashed.
	Info Info
	// Step is the sampling interval: frames 0, Step, 2·Step, ... were hashed.
	Step int
	// Width and Height are the size of the frames hashed.
	Width, Height int
	// Size is the file's length in bytes and MD5 its MD5 digest, which
	// StopNCII and HMA exchange beside the vPDQ hash.
	Size int64
	MD5  [md5.Size]byte
	// DecodeErrors counts the lines ffmpeg logged at error level while
	// decoding: damaged data that it concealed or skipped. The frames it
	// produced are hashed (see Options.Strict). Log holds the last of
	// those lines.
	DecodeErrors int
	Log          string
}

// minSide is PDQ's smallest hashable side.
const minSide = 5

// HashFile computes the vPDQ hash of the video at path: ffmpeg decodes the
// first video stream (cover pictures do not count), every Step-th frame is
// converted to RGB24 and hashed with PDQ, as Meta's vpdq-hash-video does.
// The file's MD5 is computed at the same time.
//
// Errors wrap ErrNoFFmpeg, ErrEmptyFile, ErrUnreadable, ErrNoVideo,
// ErrNoFrames, ErrTooSmall or ErrLimit (a *LimitError), or the context's error when ctx
// ends, which also kills ffmpeg.
func HashFile(ctx context.Context, path string, opt Options) (*Result, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	res, err := hashFile(ctx, path, opt)
	if err != nil {
		return nil, fmt.Errorf("vpdq %s: %w", path, err)
	}
	return res, nil
}

func hashFile(ctx context.Context, path string, opt Options) (*Result, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file", ErrUnreadable)
	}
	if st.Size() == 0 {
		return nil, ErrEmptyFile
	}
	for _, tool := range []string{opt.FFmpeg, opt.FFprobe} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, &ToolError{Tool: tool, Err: ErrNoFFmpeg, Cause: err}
		}
	}
	info, err := probe(ctx, opt.FFprobe, path)
	if err != nil {
		return nil, err
	}
	res := &Result{Info: info, Step: opt.step(info.FrameRate), Size: st.Size(),
		Width: info.Width, Height: info.Height}
	if opt.Width > 0 {
		res.Width = opt.Width
	}
	if opt.Height > 0 {
		res.Height = opt.Height
	}
	if res.Width < minSide || res.Height < minSide {
		return nil, fmt.Errorf("%w: %dx%d", ErrTooSmall, res.Width, res.Height)
	}
	if err := opt.Limits.checkProbe(info, st.Size(), res.Width, res.Height); err != nil {
		return nil, err
	}
	mctx, stopMD5 := context.WithCancel(ctx)
	defer stopMD5()
	md5c := make(chan error, 1)
	go func() { md5c <- fileMD5(mctx, path, &res.MD5) }()
	frames, err := hashFrames(ctx, path, opt, res)
	if err != nil {
		stopMD5() // no need to read the rest of a file that failed
	}
	if merr := <-md5c; err == nil && merr != nil {
		err = merr
	}
	if err != nil {
		return nil, err
	}
	if res.DecodeErrors > 0 && opt.Strict {
		return nil, &ToolError{Tool: "ffmpeg", Err: ErrUnreadable,
			Cause: fmt.Errorf("%d errors while decoding", res.DecodeErrors), Stderr: res.Log}
	}
	if len(frames) == 0 {
		return nil, ErrNoFrames
	}
	res.Frames = frames
	return res, nil
}

// fileMD5 digests the file, stopping when ctx ends.
func fileMD5(ctx context.Context, path string, sum *[md5.Size]byte) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := md5.New()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("md5: %w", err)
		}
	}
	h.Sum(sum[:0])
	return nil
}

// hashFrames decodes with ffmpeg and hashes frames on opt.Workers
// goroutines, keeping a few frame buffers in flight.
func hashFrames(ctx context.Context, path string, opt Options, res *Result) ([]Frame, error) {
	w, h := res.Width, res.Height
	size := w * h * 3
	nbuf := opt.Workers + 2
	bufs := make(chan []byte, nbuf)
	for range nbuf {
		bufs <- make([]byte, size)
	}
	type job struct {
		k   int
		pix []byte
	}
	jobs := make(chan job)
	var (
		mu     sync.Mutex
		frames []Frame
		wg     sync.WaitGroup
	)
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fh := newFrameHasher(w, h)
			for j := range jobs {
				hash, q := fh.hash(j.pix)
				bufs <- j.pix
				n := j.k * res.Step
				f := Frame{Number: n, Hash: hash, Quality: q, Timestamp: frameTimestamp(n, res.Info.FrameRate)}
				mu.Lock()
				for len(frames) <= j.k {
					frames = append(frames, Frame{})
				}
				frames[j.k] = f
				mu.Unlock()
			}
		}()
	}
	var err error
	res.DecodeErrors, res.Log, err = decodeFrames(ctx, opt.FFmpeg, ffmpegArgs(path, res.Info, res.Step, w, h), size, bufs,
		func(k int, pix []byte) error {
			if err := opt.Limits.checkFrame(k*res.Step, res.Info.FrameRate); err != nil {
				bufs <- pix
				return err
			}
			if opt.Progress != nil {
				opt.Progress(k * res.Step)
			}
			select {
			case jobs <- job{k, pix}:
				return nil
			case <-ctx.Done():
				bufs <- pix
				return ctx.Err()
			}
		})
	close(jobs)
	wg.Wait()
	return frames, err
}

// frameHasher converts RGB24 frames to the reference's float luma and
// hashes them without the still-image pre-resize.
type frameHasher struct {
	w, h int
	luma []float32
	pdq  *pdq.Hasher
}

func newFrameHasher(w, h int) *frameHasher {
	return &frameHasher{w: w, h: h, luma: make([]float32, w*h), pdq: pdq.NewHasher()}
}

func (fh *frameHasher) hash(pix []byte) (pdq.Hash, int) {
	rgbToLuma(pix[:3*fh.w*fh.h], fh.luma)
	return fh.pdq.HashLuma(fh.luma, fh.w, fh.h)
}
