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

	"github.com/havenproject/haven/internal/media"
	"github.com/havenproject/haven/pdq"
	"github.com/havenproject/haven/vpdq"
)

// Options says what to compute.
type Options struct {
	// Dihedral adds the hashes of the eight rotations and flips.
	Dihedral bool
	// Limits bound the input size and the decoded pixel count.
	Limits media.Limits
	// Video says how videos are hashed.
	Video VideoOptions
}

// Result is what was learnt about one input. When Err is set, the digests may
// still be filled in (the bytes were read but are not a decodable image).
type Result struct {
	Path   string
	Size   int64
	MD5    string
	SHA1   string
	SHA256 string

	Format        media.Format
	Width, Height int
	// Orientation is the EXIF orientation (1..8), 0 when absent. It is
	// reported, not applied: the reference hashes the stored pixels.
	Orientation int

	PDQ      pdq.Hash
	Quality  int
	Dihedral *pdq.Dihedral

	// Video holds the vPDQ frame hashes of a video (Format "video").
	Video *vpdq.Result

	Err error
	// Skipped marks a failure that is not one: a file found in a folder
	// that is not an image and does not claim to be. Err says why.
	Skipped bool
}

// ErrNotRegular reports an input that is not a regular file (a device, a
// socket, a pipe found while walking a directory).
var ErrNotRegular = errors.New("not a regular file")

// File reads and hashes the file at path.
func File(ctx context.Context, path string, opt Options) Result {
	f, err := os.Open(path)
	if err != nil {
		return Result{Path: path, Err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Result{Path: path, Err: err}
	}
	if !fi.Mode().IsRegular() {
		return Result{Path: path, Err: fmt.Errorf("%s: %w", fi.Mode().Type(), ErrNotRegular)}
	}
	// Videos are streamed from disk to ffmpeg, not read into memory.
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if !opt.Video.Off && media.Sniff(head[:n]) == "" && isVideo(media.SniffOther(head[:n])) {
		res := Result{Path: path}
		hashVideo(ctx, path, path, opt, &res)
		return res
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Result{Path: path, Err: err}
	}
	return Reader(ctx, path, f, opt)
}

// Reader hashes what r yields, reporting it under name.
func Reader(ctx context.Context, name string, r io.Reader, opt Options) Result {
	res := Result{Path: name}
	lim := opt.Limits
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = media.DefaultLimits().MaxBytes
	}
	// Read one byte past the budget to tell "exactly at" from "over".
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		res.Err = fmt.Errorf("read: %w", err)
		return res
	}
	if int64(len(data)) > lim.MaxBytes {
		res.Err = fmt.Errorf("larger than the %d-byte input budget: %w", lim.MaxBytes, media.ErrTooLarge)
		return res
	}
	return Bytes(ctx, name, data, opt)
}

// Bytes hashes an input already in memory.
func Bytes(ctx context.Context, name string, data []byte, opt Options) Result {
	res := Result{Path: name, Size: int64(len(data))}
	m, s1, s256 := md5.Sum(data), sha1.Sum(data), sha256.Sum256(data)
	res.MD5, res.SHA1, res.SHA256 = hex.EncodeToString(m[:]), hex.EncodeToString(s1[:]), hex.EncodeToString(s256[:])
	if err := ctx.Err(); err != nil {
		res.Err = err
		return res
	}
	if !opt.Video.Off && media.Sniff(data) == "" && isVideo(media.SniffOther(data)) {
		spillVideo(ctx, name, data, opt, &res)
		return res
	}
	dec, err := media.DecodeForHash(ctx, data, opt.Limits, pdq.PreResizeDim)
	if dec != nil {
		res.Format, res.Width, res.Height, res.Orientation = dec.Format, dec.Width, dec.Height, dec.Orientation
	}
	if err != nil {
		res.Err = err
		return res
	}
	if opt.Dihedral {
		d, q := pdq.DihedralImage(dec.Image)
		res.PDQ, res.Quality, res.Dihedral = d[pdq.Original], q, &d
	} else {
		res.PDQ, res.Quality = pdq.HashImage(dec.Image)
	}
	return res
}
