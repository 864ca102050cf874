package yuv

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"testing"

	"golang.org/x/image/webp"
)

// TestMatchesLibwebp compares our conversion with libwebp's own output, as
// Debian's dwebp writes it, pixel for pixel.
func TestMatchesLibwebp(t *testing.T) {
	bin, err := exec.LookPath("dwebp")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("dwebp (Debian package webp) is required in CI")
		}
		t.Skip("dwebp not installed (Debian package webp); skipping the libwebp comparison")
	}
	for _, name := range []string{"chelsea-lossy.webp", "webp-lossy-alpha.webp", "odd-37x23.webp"} {
		t.Run(name, func(t *testing.T) {
			path := "testdata/" + name
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := webp.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			got := VP8ToNRGBA(img)
			if got == nil {
				t.Fatalf("%T not converted", img)
			}
			out, err := exec.Command(bin, "-quiet", "-ppm", "-o", "-", path).Output()
			if err != nil {
				t.Fatalf("dwebp: %v", err)
			}
			want, err := readPPM(out)
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("bounds %v, dwebp %v", got.Bounds(), want.Bounds())
			}
			diff := 0
			for y := range want.Rect.Dy() {
				for x := range want.Rect.Dx() {
					g, w := got.Pix[got.PixOffset(x, y):], want.Pix[want.PixOffset(x, y):]
					if g[0] != w[0] || g[1] != w[1] || g[2] != w[2] {
						if diff == 0 {
							t.Errorf("first difference at (%d,%d): %v, dwebp %v", x, y, g[:3], w[:3])
						}
						diff++
					}
				}
			}
			if diff > 0 {
				t.Errorf("%d pixels differ from libwebp", diff)
			}
		})
	}
}

func TestNot420(t *testing.T) {
	if VP8ToNRGBA(image.NewYCbCr(image.Rect(0, 0, 4, 4), image.YCbCrSubsampleRatio444)) != nil {
		t.Error("4:4:4 converted")
	}
	if VP8ToNRGBA(image.NewGray(image.Rect(0, 0, 4, 4))) != nil {
		t.Error("grey converted")
	}
}

// readPPM parses a binary PPM (P6, maxval 255).
func readPPM(b []byte) (*image.NRGBA, error) {
	r := bufio.NewReader(bytes.NewReader(b))
	var magic string
	var w, h, maxval int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxval); err != nil || magic != "P6" || maxval != 255 {
		return nil, fmt.Errorf("ppm header: %v (%s, maxval %d)", err, magic, maxval)
	}
	if _, err := r.ReadByte(); err != nil { // the single whitespace after maxval
		return nil, err
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	px := make([]byte, 3)
	for i := 0; i < w*h; i++ {
		if _, err := io.ReadFull(r, px); err != nil {
			return nil, err
		}
		copy(img.Pix[4*i:], px)
		img.Pix[4*i+3] = 0xff
	}
	return img, nil
}
