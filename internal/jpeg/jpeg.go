// Package jpeg is Haven's own JPEG decoder, written so that its pixels equal
// those of libjpeg-turbo 2.1.5 with default settings (what Debian's
// `djpeg -pnm` writes, and what Meta's PDQ reference hashes): the integer
// "islow" inverse DCT, "fancy" (triangle-filter) chroma upsampling and
// libjpeg's fixed-point YCbCr to RGB conversion. Go's image/jpeg rounds
// differently and upsamples without filtering, which moves PDQ hashes of
// real photos by several bits.
//
// Supported: 8-bit baseline, extended sequential and progressive (spectral
// selection and successive approximation) Huffman-coded images with 1, 3 or
// 4 components, any sampling factors libjpeg accepts, restart markers.
// Not supported: arithmetic coding, 12-bit samples, lossless and
// hierarchical modes, DNL-defined heights.
//
// Output: *image.Gray for one component, *image.RGBA (opaque) otherwise.
// The colour space is chosen as libjpeg does: JFIF or Adobe transform 1
// means YCbCr, Adobe transform 0 or component IDs 'R','G','B' mean RGB, and
// 3 components default to YCbCr; 4 components are CMYK unless an Adobe
// marker with a non-zero transform says YCCK (ImageMagick writes CMYK JPEGs
// that way). YCCK becomes CMYK with libjpeg's formulas (C = 255 − R from
// the YCbCr conversion, likewise M and Y; K unchanged). CMYK is converted to
// RGB the way djpeg does for PPM output: R = round(C·K/255) on the stored
// values, which Adobe files keep inverted, and the same for G (from M) and
// B (from Y). ImageMagick's conversion, which Meta's PDQ reference uses for
// CMYK JPEGs, gives identical pixels on the test corpus.
//
// DecodeNearest is the PDQ fast path: it returns the image already resized by
// nearest-neighbour sampling, computing only the pixels that are sampled.
//
// libjpeg-turbo's SIMD inverse DCT works in 16-bit lanes, which valid data
// never overflows; damaged data can, and its C and SIMD code then disagree.
// This package follows the SIMD code (what djpeg and the PDQ reference run
// on x86-64) for such blocks too. By default damaged scan data is an error;
// Options.Lenient recovers from it as libjpeg does.
package jpeg

import (
	"errors"
	"fmt"
	"image"
	"io"
)

// DefaultMaxPixels is the pixel budget used when Options.MaxPixels is 0.
// Decoding needs up to about 16 bytes per pixel in the worst case
// (progressive, four full-resolution components), about 8 for a typical
// progressive 4:2:0 photo and 6 for a baseline one.
const DefaultMaxPixels = 1 << 26

// Options tune decoding.
type Options struct {
	// MaxPixels bounds the image area, rounded up to whole MCUs, that may be
	// decoded; larger images fail with ErrTooLarge before any pixel memory
	// is allocated. 0 means DefaultMaxPixels.
	MaxPixels int64
	// MaxScans bounds the number of scans (each costs a pass over the
	// image's blocks); 0 means DefaultMaxScans.
	MaxScans int
	// Lenient decodes damaged entropy-coded data as libjpeg does instead of
	// failing: when the data of a scan ends early (a truncated file, or a
	// marker inside the data), the rest of that scan is left empty (mid-grey
	// for sequential images); invalid Huffman codes count as a zero symbol;
	// restart markers out of order are resynchronised with libjpeg's rules;
	// missing scans and a missing EOI are accepted. For sequential images
	// the pixels then equal djpeg's; for progressive ones they differ where
	// libjpeg smooths incompletely refined blocks, which this package does not
	// do. Header errors still fail.
	Lenient bool
}

// DefaultMaxScans is the scan limit used when Options.MaxScans is 0.
// Progressive encoders write about 10 scans; libjpeg-turbo suggests 500 as
// a limit for untrusted input.
const DefaultMaxScans = 500

func (o Options) maxScans() int {
	if o.MaxScans <= 0 {
		return DefaultMaxScans
	}
	return o.MaxScans
}

func (o Options) maxPixels() int64 {
	if o.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return o.MaxPixels
}

var (
	// ErrFormat reports data that is not a valid JPEG stream.
	ErrFormat = errors.New("jpeg: invalid data")
	// ErrUnsupported reports a valid JPEG feature this decoder lacks.
	ErrUnsupported = errors.New("jpeg: unsupported feature")
	// ErrTooLarge reports an image over the pixel budget.
	ErrTooLarge = errors.New("jpeg: image exceeds pixel budget")
	// ErrTruncated reports data that ends before the image is complete.
	ErrTruncated = errors.New("jpeg: truncated data")
)

// Decode reads a whole JPEG file from r and decodes it with default options.
// It reads r to the end without a size limit; callers bound untrusted input.
func Decode(r io.Reader) (image.Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("jpeg: read: %w", err)
	}
	return DecodeBytes(data, Options{})
}

// DecodeBytes decodes a whole JPEG file held in data.
func DecodeBytes(data []byte, opt Options) (image.Image, error) {
	d := &decoder{data: data, opt: opt}
	if err := d.decode(); err != nil {
		return nil, err
	}
	return d.render(nil)
}

// DecodeConfig returns the colour model and dimensions of a JPEG image
// without decoding it. The model is color.GrayModel for one component and
// color.RGBAModel otherwise, matching what Decode returns.
func DecodeConfig(r io.Reader) (image.Config, error) {
	return decodeConfig(r)
}

// DecodeNearest is the PDQ fast path. If the image is wider than maxW or
// taller than maxH, it returns the maxW×maxH image whose pixel (x, y) is the
// source pixel (⌊x·W/maxW⌋, ⌊y·H/maxH⌋) — nearest-neighbour resizing as
// CImg's resize does in Meta's pdq-photo-hasher — with values identical to a
// full decode followed by that sampling. Only the samples the resize reads
// go through the inverse DCT, upsampling and colour conversion. Otherwise it
// returns the full image. srcW and srcH are the stored dimensions.
func DecodeNearest(data []byte, maxW, maxH int, opt Options) (img image.Image, srcW, srcH int, err error) {
	if maxW <= 0 || maxH <= 0 {
		return nil, 0, 0, fmt.Errorf("jpeg: decode nearest: bad target size %dx%d", maxW, maxH)
	}
	d := &decoder{data: data, opt: opt}
	if err := d.readFrameHeader(); err != nil {
		return nil, 0, 0, err
	}
	var s *sampling
	if d.width > maxW || d.height > maxH {
		s = newSampling(d.width, d.height, maxW, maxH)
	}
	d.sample = s
	if err := d.decode(); err != nil {
		return nil, d.width, d.height, err
	}
	img, err = d.render(s)
	return img, d.width, d.height, err
}
