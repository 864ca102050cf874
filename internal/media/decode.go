package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"

	havenjpeg "github.com/havenproject/haven/internal/jpeg"
	"github.com/havenproject/haven/internal/media/bmff"
	"github.com/havenproject/haven/internal/media/exif"
	"github.com/havenproject/haven/internal/media/yuv"
)

// Decoded is a decoded image with what Haven needs to know about it.
type Decoded struct {
	// Image holds the pixels in the decoder's native type (*image.YCbCr,
	// *image.NRGBA, *image.Paletted, *image.CMYK, *image.Gray16, ...). Alpha is
	// neither composited nor premultiplied, except in AVIF and HEIC, whose
	// alpha planes are dropped (see heif.go).
	Image  image.Image
	Format Format
	// Width and Height are those of Image: the stored, un-rotated pixels.
	Width, Height int
	// Orientation is the EXIF-style transform (1..8) still to be applied to
	// Image for display, 0 when the file states none. The pixels are not rotated.
	// For JPEG, PNG, WebP and TIFF it is the EXIF Orientation tag; for AVIF it
	// comes from the irot/imir properties; HEIC pixels arrive already
	// transformed, so it is 0 (HEIF readers ignore the EXIF tag).
	Orientation int
	// EXIF is nil when the file has no EXIF block or it cannot be read
	// (EXIFError then says why); a bad EXIF block never fails the decode.
	EXIF      *exif.Data
	EXIFError error
}

// source is one input while it is being decoded.
type source struct {
	format Format
	data   []byte
	// nearest, when positive, lets the JPEG decoder return the image
	// already resampled to nearest×nearest by nearest neighbour if it is
	// larger (DecodeForHash); resampled says it did.
	nearest   int
	resampled bool
	maxPixels int64      // for decoders that check their own budget
	heif      *bmff.File // HEIC and AVIF only
	item      *bmff.Item // their primary image item
}

// Decode decodes the first image in data. Before any pixels are allocated it
// checks the input size against lim.MaxBytes and the dimensions in the header
// against lim.MaxPixels. Errors match ErrUnknownFormat, ErrTooLarge, ErrCorrupt
// or ErrUnsupported, or are ctx's error; a decoder panic becomes ErrCorrupt.
// It is safe for concurrent use.
func Decode(ctx context.Context, data []byte, lim Limits) (*Decoded, error) {
	return decode(ctx, data, lim, 0)
}

// DecodeForHash is Decode for perceptual hashing: an image larger than
// side×side may come back already resampled to exactly side×side by nearest
// neighbour, as Meta's PDQ reference resamples before hashing, which saves
// the work on pixels that sampling never reads (JPEG only, for now). Width
// and Height are still the stored dimensions. Pass 512 for PDQ.
func DecodeForHash(ctx context.Context, data []byte, lim Limits, side int) (*Decoded, error) {
	return decode(ctx, data, lim, side)
}

func decode(ctx context.Context, data []byte, lim Limits, nearest int) (*Decoded, error) {
	lim = lim.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f := Sniff(data)
	if int64(len(data)) > lim.MaxBytes {
		return nil, &TooLargeError{Format: f, Bytes: int64(len(data)), Limit: lim.MaxBytes}
	}
	if f == "" {
		return nil, &NotImageError{Kind: SniffOther(data)}
	}
	src := &source{format: f, data: data}
	w, h, err := src.config()
	if err != nil {
		return nil, err
	}
	if err := lim.checkPixels(f, w, h); err != nil {
		return nil, err
	}
	if err := src.checkHEIFPixels(lim); err != nil {
		return nil, err
	}
	img, err := run(ctx, src.format, src.decode)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	// A decoder that ignored its own header must not slip past the budget.
	if err := lim.checkPixels(f, b.Dx(), b.Dy()); err != nil {
		return nil, err
	}
	d := &Decoded{Image: img, Format: src.format, Width: b.Dx(), Height: b.Dy()}
	d.EXIF, d.EXIFError = src.exif()
	d.Orientation = src.orientation(d.EXIF)
	return d, nil
}

// DecodeConfig reads the format and pixel dimensions from the header without
// decoding pixels. The dimensions are those Decode's Width and Height will have.
func DecodeConfig(data []byte) (Format, int, int, error) {
	f := Sniff(data)
	if f == "" {
		return "", 0, 0, &NotImageError{Kind: SniffOther(data)}
	}
	src := &source{format: f, data: data}
	w, h, err := src.config()
	if err != nil {
		return f, 0, 0, err
	}
	if w <= 0 || h <= 0 {
		return f, 0, 0, &CorruptError{Format: f, Err: errBadSize{w, h}}
	}
	return f, w, h, nil
}

// config reads the dimensions from the header.
func (s *source) config() (w, h int, err error) {
	if s.format == HEIC || s.format == AVIF {
		return s.heifConfig()
	}
	var cfg image.Config
	err = guard(s.format, func() error {
		var err error
		cfg, err = configFuncs[s.format](bytes.NewReader(s.data))
		return err
	})
	if err != nil {
		return 0, 0, corrupt(s.format, err)
	}
	return cfg.Width, cfg.Height, nil
}

var configFuncs = map[Format]func(io.Reader) (image.Config, error){
	JPEG: jpeg.DecodeConfig,
	PNG:  png.DecodeConfig,
	GIF:  gif.DecodeConfig,
	WebP: webp.DecodeConfig,
	TIFF: tiff.DecodeConfig,
	BMP:  bmp.DecodeConfig,
}

// decode decodes the pixels. It runs under run's recover.
func (s *source) decode(ctx context.Context) (image.Image, error) {
	r := bytes.NewReader(s.data)
	var img image.Image
	var err error
	switch s.format {
	case JPEG:
		img, err = s.decodeJPEG()
	case PNG:
		img, err = png.Decode(r)
	case GIF:
		img, err = gif.Decode(r) // the first frame only
	case WebP:
		img, err = webp.Decode(r)
		if rgb := yuv.VP8ToNRGBA(img); err == nil && rgb != nil {
			// Lossy WebP: convert as libwebp does (see package yuv).
			img = rgb
		}
	case TIFF:
		img, err = tiff.Decode(r)
	case BMP:
		img, err = bmp.Decode(r)
	case HEIC, AVIF:
		img, err = s.decodeHEIF(ctx)
	default:
		return nil, &UnsupportedError{Format: s.format, What: "no decoder"}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, corrupt(s.format, err)
	}
	if img == nil {
		return nil, &CorruptError{Format: s.format, Err: errors.New("decoder returned no image")}
	}
	return img, nil
}

// decodeJPEG uses Haven's decoder, whose pixels equal libjpeg-turbo's (the
// decoder of Meta's PDQ reference and of most hash lists' producers), and
// falls back to image/jpeg for the features it lacks.
func (s *source) decodeJPEG() (image.Image, error) {
	opt := havenjpeg.Options{MaxPixels: s.maxPixels}
	if s.nearest > 0 {
		img, w, h, err := havenjpeg.DecodeNearest(s.data, s.nearest, s.nearest, opt)
		if err == nil {
			s.resampled = w > s.nearest || h > s.nearest
			return img, nil
		}
		if !errors.Is(err, havenjpeg.ErrUnsupported) {
			return nil, err
		}
	} else {
		img, err := havenjpeg.DecodeBytes(s.data, opt)
		if !errors.Is(err, havenjpeg.ErrUnsupported) {
			return img, err
		}
	}
	return jpeg.Decode(bytes.NewReader(s.data))
}

// run calls decode with panics turned into ErrCorrupt. When ctx can be
// cancelled, decode runs in its own goroutine so that Decode returns on
// cancellation; the abandoned decode finishes in the background, since the
// third-party decoders cannot be interrupted.
func run(ctx context.Context, f Format, decode func(context.Context) (image.Image, error)) (image.Image, error) {
	call := func() (img image.Image, err error) {
		err = guard(f, func() error {
			var err error
			img, err = decode(ctx)
			return err
		})
		return img, err
	}
	if ctx.Done() == nil {
		return call()
	}
	type result struct {
		img image.Image
		err error
	}
	done := make(chan result, 1)
	go func() {
		img, err := call()
		done <- result{img, err}
	}()
	select {
	case r := <-done:
		return r.img, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// guard runs fn and turns a panic into a CorruptError.
func guard(f Format, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &CorruptError{Format: f, Err: fmt.Errorf("decoder panic: %v", r)}
		}
	}()
	return fn()
}
