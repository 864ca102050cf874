package triage

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/havenproject/haven/internal/media/exif"
)

// testImage draws random overlapping rectangles on a gradient, chosen by
// seed: broadband content whose PDQ is stable under resizing, so different
// seeds give images far apart and one seed resized stays near itself.
func testImage(seed uint64, w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed*7919+1))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := uint8(x * 255 / w / 2)
			img.SetRGBA(x, y, color.RGBA{g, g, uint8(y * 255 / h / 2), 255})
		}
	}
	for range 24 {
		x0, y0 := r.IntN(w), r.IntN(h)
		x1, y1 := min(w, x0+w/10+r.IntN(w/3)), min(h, y0+h/10+r.IntN(h/3))
		c := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	return img
}

func encodeJPEG(t *testing.T, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// halve box-filters img to half its size.
func halve(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	for y := 0; y < b.Dy()/2; y++ {
		for x := 0; x < b.Dx()/2; x++ {
			var s [3]int
			for _, p := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				c := img.RGBAAt(2*x+p[0], 2*y+p[1])
				s[0], s[1], s[2] = s[0]+int(c.R), s[1]+int(c.G), s[2]+int(c.B)
			}
			out.SetRGBA(x, y, color.RGBA{uint8(s[0] / 4), uint8(s[1] / 4), uint8(s[2] / 4), 255})
		}
	}
	return out
}

// withEXIF returns jpg carrying c in an APP1 EXIF segment.
func withEXIF(t *testing.T, jpg []byte, c exif.Camera) []byte {
	t.Helper()
	b, err := exif.InJPEG(jpg, exif.Build(c))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// zipOf builds a zip of name -> bytes, deflated.
func zipOf(t *testing.T, files [][2]any) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0].(string), Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f[1].([]byte))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
