package filehash

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/havenproject/haven/vpdq"
)

// VideoOptions say how videos are hashed (vPDQ: PDQ of sampled frames).
type VideoOptions struct {
	// Off leaves videos unhashed (they fail as "not an image").
	Off bool
	// FPS is the number of frames hashed per second of video; 0 means one,
	// the reference's default.
	FPS float64
	// EveryFrame hashes every decoded frame (the reference's -r 0).
	EveryFrame bool
}

// isVideo reports whether media.SniffOther's description names a video
// container.
func isVideo(kind string) bool { return strings.HasSuffix(kind, " video") }

// hashVideo computes the digests and the vPDQ hash of the video at path.
func hashVideo(ctx context.Context, name, path string, opt Options, res *Result) {
	res.Format = "video"
	if err := digestFile(path, res); err != nil {
		res.Err = err
		return
	}
	vo := vpdq.Options{Workers: 1} // files are already hashed in parallel
	switch {
	case opt.Video.EveryFrame:
		vo.EveryFrame = true
	case opt.Video.FPS > 0:
		vo.SecondsPerHash = 1 / opt.Video.FPS
	case opt.Video.FPS < 0:
		res.Err = fmt.Errorf("video: frames per second %g must not be negative", opt.Video.FPS)
		return
	}
	v, err := vpdq.HashFile(ctx, path, vo)
	if err != nil {
		// vpdq names the file; so do our callers. Keep one.
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		res.Err = err
		return
	}
	res.Video = v
	res.Width, res.Height = v.Info.Width, v.Info.Height
}

// digestFile streams the file once through the three digests.
func digestFile(path string, res *Result) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	m, s1, s256 := md5.New(), sha1.New(), sha256.New()
	n, err := io.Copy(io.MultiWriter(m, s1, s256), f)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	res.Size = n
	res.MD5, res.SHA1, res.SHA256 = hex.EncodeToString(m.Sum(nil)), hex.EncodeToString(s1.Sum(nil)), hex.EncodeToString(s256.Sum(nil))
	return nil
}

// spillVideo writes a video held in memory (read from standard input) to a
// temporary file for ffmpeg, and hashes it.
func spillVideo(ctx context.Context, name string, data []byte, opt Options, res *Result) {
	f, err := os.CreateTemp("", "haven-video-*")
	if err != nil {
		res.Err = err
		return
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		res.Err = fmt.Errorf("spill video to a temporary file: %w", err)
		return
	}
	hashVideo(ctx, name, f.Name(), opt, res)
}
