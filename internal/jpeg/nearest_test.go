package jpeg

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"
)

// sampleNearest resizes img to w×h the way CImg's nearest-neighbour resize
// does: output (x, y) = source (⌊x·W/w⌋, ⌊y·H/h⌋).
func sampleNearest(img image.Image, w, h int) image.Image {
	b := img.Bounds()
	W, H := b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.Gray:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[y*out.Stride+x] = m.Pix[(y*H/h)*m.Stride+x*W/w]
			}
		}
		return out
	case *image.RGBA:
		out := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				copy(out.Pix[y*out.Stride+4*x:][:4], m.Pix[(y*H/h)*m.Stride+4*(x*W/w):])
			}
		}
		return out
	}
	panic(fmt.Sprintf("unexpected %T", img))
}

func pixels(img image.Image) []byte {
	switch m := img.(type) {
	case *image.Gray:
		return m.Pix
	case *image.RGBA:
		return m.Pix
	}
	return nil
}

func TestDecodeNearestEqualsFullDecode(t *testing.T) {
	files := append(sharedJPEGsOrNone(t), localJPEGs(t)...)
	for _, path := range files {
		if unsupportedFiles[filepath.Base(path)] {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		full, err := DecodeBytes(data, Options{})
		if err != nil {
			continue // TestMatchesDjpeg covers decode errors
		}
		W, H := full.Bounds().Dx(), full.Bounds().Dy()
		targets := [][2]int{{512, 512}, {5, 4}, {W - 1, H}, {W, H - 1}, {1, 1}, {W + 3, max(H/3, 1)}, {97, 61}}
		if W*H > 100000 {
			targets = [][2]int{{512, 512}, {W - 1, H/2 + 1}, {97, 61}}
		}
		for _, tg := range targets {
			mw, mh := tg[0], tg[1]
			if mw < 1 || mh < 1 {
				continue
			}
			got, sw, sh, err := DecodeNearest(data, mw, mh, Options{})
			if err != nil {
				t.Errorf("%s → %dx%d: %v", path, mw, mh, err)
				continue
			}
			if sw != W || sh != H {
				t.Errorf("%s: source size %dx%d, want %dx%d", path, sw, sh, W, H)
			}
			want := full
			if W > mw || H > mh {
				want = sampleNearest(full, mw, mh)
			}
			if got.Bounds() != want.Bounds() || !bytes.Equal(pixels(got), pixels(want)) {
				t.Errorf("%s → %dx%d: sampled decode differs from full decode + sampling", path, mw, mh)
			}
		}
	}
}
