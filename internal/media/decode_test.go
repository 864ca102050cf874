package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeFile(t testing.TB, name string) *Decoded {
	t.Helper()
	d, err := Decode(context.Background(), readTestdata(t, name), Limits{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func TestDecodeFormats(t *testing.T) {
	tests := []struct {
		file     string
		format   Format
		typ      string
		w, h     int
		orient   int
		wantEXIF bool
	}{
		{"jpeg-420.jpg", JPEG, "*image.RGBA", 48, 32, 0, false},
		{"jpeg-444.jpg", JPEG, "*image.RGBA", 48, 32, 0, false},
		{"jpeg-progressive.jpg", JPEG, "*image.RGBA", 48, 32, 0, false},
		{"jpeg-gray.jpg", JPEG, "*image.Gray", 48, 32, 0, false},
		{"jpeg-cmyk.jpg", JPEG, "*image.RGBA", 48, 32, 0, false},
		{"png-rgb.png", PNG, "*image.RGBA", 48, 32, 0, false},
		{"png-rgba.png", PNG, "*image.NRGBA", 48, 32, 0, false},
		{"png-gray.png", PNG, "*image.Gray", 48, 32, 0, false},
		{"png-gray-alpha.png", PNG, "*image.NRGBA", 48, 32, 0, false},
		{"png-gray16.png", PNG, "*image.Gray16", 48, 32, 0, false},
		{"png-16bit.png", PNG, "*image.RGBA64", 48, 32, 0, false},
		{"png-rgba16.png", PNG, "*image.NRGBA64", 48, 32, 0, false},
		{"png-palette.png", PNG, "*image.Paletted", 48, 32, 0, false},
		{"png-adam7.png", PNG, "*image.RGBA", 48, 32, 0, false},
		{"gif-chelsea.gif", GIF, "*image.Paletted", 48, 32, 0, false},
		{"gif-animated.gif", GIF, "*image.Paletted", 14, 25, 0, false},
		{"webp-lossy.webp", WebP, "*image.NRGBA", 48, 32, 0, false},
		{"webp-lossy-alpha.webp", WebP, "*image.NRGBA", 48, 32, 0, false},
		{"webp-lossless.webp", WebP, "*image.NRGBA", 48, 32, 0, false},
		{"tiff-rgb.tif", TIFF, "*image.RGBA", 48, 32, 1, true},
		{"tiff-lzw.tif", TIFF, "*image.RGBA", 48, 32, 1, true},
		{"bmp-rgb.bmp", BMP, "*image.RGBA", 48, 32, 0, false},
		{"heic-chelsea.heic", HEIC, "", 48, 32, 0, false},
		{"heic-alpha.heic", HEIC, "", 48, 32, 0, false},
		{"heic-irot1.heic", HEIC, "", 32, 48, 0, false}, // libheif applies irot
		{"heic-exif.heic", HEIC, "", 48, 32, 0, true},   // EXIF says 6; HEIF readers ignore it
		{"avif-chelsea.avif", AVIF, "*image.RGBA", 48, 32, 0, false},
		{"avif-alpha.avif", AVIF, "*image.RGBA", 48, 32, 0, false},
		{"avif-irot3.avif", AVIF, "*image.RGBA", 48, 32, 6, false},
		{"avif-imir1.avif", AVIF, "*image.RGBA", 48, 32, 2, false},
		{"avif-exif.avif", AVIF, "*image.RGBA", 48, 32, 0, true},
		{"heic-wide.heic", HEIC, "*image.YCbCr", 112, 75, 0, false}, // decoded in-process
		{"avif-wide.avif", AVIF, "*image.RGBA", 112, 75, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data := readTestdata(t, tc.file)
			if f := Sniff(data); f != tc.format {
				t.Errorf("Sniff = %q, want %q", f, tc.format)
			}
			f, w, h, err := DecodeConfig(data)
			if err != nil || f != tc.format || w != tc.w || h != tc.h {
				t.Errorf("DecodeConfig = %q %dx%d %v, want %q %dx%d", f, w, h, err, tc.format, tc.w, tc.h)
			}
			d := decodeFile(t, tc.file)
			typ := fmt.Sprintf("%T", d.Image)
			if tc.typ != "" && typ != tc.typ {
				t.Errorf("image type %s, want %s", typ, tc.typ)
			}
			if d.Format != tc.format || d.Width != tc.w || d.Height != tc.h || d.Orientation != tc.orient {
				t.Errorf("got %s %dx%d orientation %d, want %s %dx%d orientation %d",
					d.Format, d.Width, d.Height, d.Orientation, tc.format, tc.w, tc.h, tc.orient)
			}
			if b := d.Image.Bounds(); b.Dx() != d.Width || b.Dy() != d.Height {
				t.Errorf("bounds %v disagree with %dx%d", b, d.Width, d.Height)
			}
			if (d.EXIF != nil) != tc.wantEXIF || d.EXIFError != nil {
				t.Errorf("EXIF = %v (error %v), want present=%t", d.EXIF, d.EXIFError, tc.wantEXIF)
			}
		})
	}
}

// TestDecodePixels compares lossy and transformed decodes with the lossless
// source, png-rgb.png. The alpha files were made from png-rgba.png, which has
// the same colour under an alpha gradient: a decoder that premultiplied or
// composited would darken their lower half far beyond the tolerance.
func TestDecodePixels(t *testing.T) {
	ref := decodeFile(t, "png-rgb.png").Image
	tests := []struct {
		file   string
		rotate bool // displayed 90° anticlockwise relative to the source
		tol    float64
	}{
		{"jpeg-444.jpg", false, 4},
		{"webp-lossy.webp", false, 9},
		{"webp-lossy-alpha.webp", false, 9},
		{"webp-lossless.webp", false, 0},
		{"png-rgba.png", false, 0},
		{"png-palette.png", false, 6},
		{"tiff-lzw.tif", false, 0},
		{"bmp-rgb.bmp", false, 0},
		{"heic-chelsea.heic", false, 8},
		{"heic-alpha.heic", false, 8},
		{"heic-irot1.heic", true, 8},
		{"avif-chelsea.avif", false, 9},
		{"avif-alpha.avif", false, 9},
		{"avif-irot3.avif", false, 9},
	}
	tests = append(tests, []struct {
		file   string
		rotate bool
		tol    float64
	}{{"heic-wide.heic", false, 8}, {"avif-wide.avif", false, 9}}...)
	wide := decodeFile(t, "png-wide.png").Image
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			img := decodeFile(t, tc.file).Image
			ref := ref
			if img.Bounds().Dx() == wide.Bounds().Dx() {
				ref = wide
			}
			if tc.rotate {
				img = rotateCW(img)
			}
			if diff := meanAbsDiff(ref, img); diff > tc.tol {
				t.Errorf("mean absolute difference %.2f > %.2f", diff, tc.tol)
			}
		})
	}
}

// TestGenericHEIFWithAV1: a file branded only "mif1" sniffs as HEIC, but an
// av01 primary item sends it to the AVIF decoder.
func TestGenericHEIFWithAV1(t *testing.T) {
	data := bytes.Clone(readTestdata(t, "avif-chelsea.avif"))
	copy(data[8:12], "mif1")
	copy(data[16:20], "mif1")
	if f := Sniff(data); f != HEIC {
		t.Fatalf("Sniff = %q", f)
	}
	d, err := Decode(context.Background(), data, Limits{})
	if err != nil || d.Format != AVIF {
		t.Fatalf("Decode: %v, format %v", err, d)
	}
}

// meanAbsDiff compares the colour channels (not alpha) of two images, in 8-bit units.
func meanAbsDiff(a, b image.Image) float64 {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Dx() != bb.Dx() || ab.Dy() != bb.Dy() {
		return math.Inf(1)
	}
	var sum float64
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1 := rgb8(a, ab.Min.X+x, ab.Min.Y+y)
			r2, g2, b2 := rgb8(b, bb.Min.X+x, bb.Min.Y+y)
			sum += math.Abs(r1-r2) + math.Abs(g1-g2) + math.Abs(b1-b2)
		}
	}
	return sum / float64(3*ab.Dx()*ab.Dy())
}

// rgb8 returns the stored (non-premultiplied) colour of a pixel.
func rgb8(img image.Image, x, y int) (r, g, b float64) {
	if n, ok := img.(*image.NRGBA); ok {
		c := n.NRGBAAt(x, y)
		return float64(c.R), float64(c.G), float64(c.B)
	}
	if n, ok := img.(*image.NYCbCrA); ok {
		c := n.YCbCrAt(x, y)
		rr, gg, bb, _ := c.RGBA()
		return float64(rr >> 8), float64(gg >> 8), float64(bb >> 8)
	}
	rr, gg, bb, _ := img.At(x, y).RGBA()
	return float64(rr >> 8), float64(gg >> 8), float64(bb >> 8)
}

// rotateCW turns an image 90° clockwise, undoing a 90° anticlockwise display rotation.
func rotateCW(src image.Image) image.Image {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			dst.Set(b.Dy()-1-y, x, src.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return dst
}

// TestDecodeConcurrent decodes every kind at once (run it with -race).
func TestDecodeConcurrent(t *testing.T) {
	files := []string{"heic-wide.heic", "avif-wide.avif", "jpeg-420.jpg", "png-rgba.png", "webp-lossy.webp", "exif.tif"}
	errs := make(chan error, 2*len(files))
	for i := 0; i < 2; i++ {
		for _, name := range files {
			data := readTestdata(t, name)
			go func() {
				_, err := Decode(context.Background(), data, Limits{})
				errs <- err
			}()
		}
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
