package pdq_test

import (
	"bufio"
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/havenproject/haven/pdq"
)

func TestGolden(t *testing.T) {
	f, err := os.Open("testdata/golden.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		fields := strings.Fields(line)
		name := fields[0]
		t.Run(name, func(t *testing.T) {
			img, err := decodeFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			want, wantQ := mustParse(t, fields[1]), atoi(t, fields[2])
			d, q := pdq.DihedralImage(img)
			h, q2 := pdq.HashImage(img)
			if h != d[pdq.Original] || q != q2 {
				t.Fatalf("HashImage and DihedralImage disagree: %s/%d vs %s/%d", h, q2, d[pdq.Original], q)
			}
			const bound = 0
			for _, c := range []struct {
				tr   pdq.Transform
				want pdq.Hash
			}{{pdq.Original, want}, {pdq.Rotate90, mustParse(t, fields[3])}, {pdq.FlipMinus1, mustParse(t, fields[4])}} {
				if dist := pdq.Distance(d[c.tr], c.want); dist > bound {
					t.Errorf("%s: %s, reference %s: %d bits apart", c.tr, d[c.tr], c.want, dist)
				}
			}
			if q != wantQ {
				t.Errorf("quality %d, reference %d", q, wantQ)
			}
		})
	}
}

func mustParse(t *testing.T, s string) pdq.Hash {
	t.Helper()
	h, err := pdq.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestParse(t *testing.T) {
	const good = "5fab5331f05ca156898e2b7729a5d2430412cdbd23f49942464526337db32ffd"
	tests := []struct {
		in      string
		wantErr string
	}{
		{good, ""},
		{strings.ToUpper(good), ""},
		{"", "want 64 hex digits, got 0"},
		{good[:63], "got 63"},
		{good + "0", "got 65"},
		{"x" + good[1:], "character 1"},
		{good[:40] + " " + good[41:], "character 41"},
		{good[:63] + "\xff", "character 64"},
	}
	for _, tc := range tests {
		h, err := pdq.Parse(tc.in)
		if tc.wantErr == "" {
			if err != nil || h.String() != strings.ToLower(tc.in) {
				t.Errorf("Parse(%q) = %s, %v", tc.in, h, err)
			}
			continue
		}
		if !errors.Is(err, pdq.ErrSyntax) || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Parse(%q) error %v, want one containing %q", tc.in, err, tc.wantErr)
		}
	}
}

func TestTextRoundTrip(t *testing.T) {
	h := mustParse(t, "e85a672e1ca9e6231f8df6f1a19c8274f31c0e43fa580eea2b91e0fc2d31f10e")
	b, err := h.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var back pdq.Hash
	if err := back.UnmarshalText(b); err != nil || back != h {
		t.Fatalf("round trip: %s, %v", back, err)
	}
	if err := back.UnmarshalText([]byte("zz")); err == nil {
		t.Fatal("UnmarshalText accepted garbage")
	}
}

func TestDistanceAndBits(t *testing.T) {
	var zero, h pdq.Hash
	if pdq.Distance(zero, zero) != 0 {
		t.Fatal("distance to self")
	}
	for i := range h {
		h[i] = 0xff
	}
	if d := pdq.Distance(zero, h); d != 256 {
		t.Fatalf("distance to complement = %d", d)
	}
	// Bit 0 of the reference's numbering is the lowest bit of the last hex
	// digit; bit 255 the highest of the first.
	one := mustParse(t, strings.Repeat("0", 63)+"1")
	top := mustParse(t, "8"+strings.Repeat("0", 63))
	if !one.Bit(0) || one.Bit(1) || !top.Bit(255) || pdq.Distance(one, top) != 2 {
		t.Fatal("bit numbering differs from the reference's")
	}
}

func TestTinyImages(t *testing.T) {
	// The reference hashes images under 5 pixels on a side as all zeros
	// with quality 0; a 1-pixel image must not crash.
	for _, r := range []image.Rectangle{image.Rect(0, 0, 1, 1), image.Rect(0, 0, 4, 100), image.Rect(0, 0, 100, 4), image.Rect(0, 0, 0, 0)} {
		h, q := pdq.HashImage(image.NewGray(r))
		if !h.IsZero() || q != 0 {
			t.Errorf("%v: %s, quality %d", r, h, q)
		}
	}
}

// TestImageTypes checks that every pixel layout the decoders produce gives
// the hash of the same picture in 8-bit RGB, including sub-images whose
// bounds do not start at the origin.
func TestImageTypes(t *testing.T) {
	img, err := decodeFile("testdata/chelsea-rgb.png")
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	want, _ := pdq.HashImage(img)
	convert := func(dst interface {
		image.Image
		Set(x, y int, c color.Color)
	}) image.Image {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				dst.Set(x, y, img.At(x, y))
			}
		}
		return dst
	}
	types := map[string]image.Image{
		"NRGBA":   convert(image.NewNRGBA(b)),
		"RGBA64":  convert(image.NewRGBA64(b)),
		"NRGBA64": convert(image.NewNRGBA64(b)),
		"generic": struct{ image.Image }{img},
	}
	for name, m := range types {
		if got, _ := pdq.HashImage(m); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	// A sub-image hashes as the same pixels copied to a fresh image.
	big := image.NewRGBA(image.Rect(-7, -3, b.Dx()+20, b.Dy()+10))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			big.Set(x+5, y+2, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	sub := big.SubImage(image.Rect(5, 2, 5+b.Dx(), 2+b.Dy()))
	if got, _ := pdq.HashImage(sub); got != want {
		t.Errorf("sub-image: %s, want %s", got, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("5fab5331f05ca156898e2b7729a5d2430412cdbd23f49942464526337db32ffd")
	f.Add("")
	f.Add(strings.Repeat("g", 64))
	f.Fuzz(func(t *testing.T, s string) {
		h, err := pdq.Parse(s)
		if err != nil {
			return
		}
		if !strings.EqualFold(h.String(), s) {
			t.Fatalf("Parse(%q).String() = %s", s, h)
		}
	})
}
