package jpeg

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os/exec"
	"testing"
)

// djpegLenient decodes data with djpeg, accepting its "warnings" exit
// status (2), which it uses for damaged data it decoded anyway. ok is false
// if djpeg failed outright.
func djpegLenient(t *testing.T, data []byte) (w, h, ch int, pix []byte, ok bool) {
	t.Helper()
	bin, err := exec.LookPath("djpeg")
	if err != nil {
		t.Skip("djpeg not installed (Debian: apt-get install libjpeg-turbo-progs)")
	}
	cmd := exec.Command(bin, "-pnm")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 2) {
		return 0, 0, 0, nil, false
	}
	w, h, ch, pix, err = parsePNM(out)
	return w, h, ch, pix, err == nil
}

// damaged returns truncated and corrupted copies of a sequential JPEG,
// damaging only its entropy-coded data.
func damaged(t *testing.T, name string, rng *rand.Rand) map[string][]byte {
	base := readGen(t, name)
	sos := markerAt(t, base, mSOS)
	start := sos + 2 + (int(base[sos+2])<<8 | int(base[sos+3]))
	out := map[string][]byte{}
	for i := 0; i < 12; i++ {
		n := start + 1 + rng.Intn(len(base)-start-1)
		out[fmt.Sprintf("cut at %d", n)] = base[:n]
	}
	for i := 0; i < 12; i++ {
		c := bytes.Clone(base)
		desc := "bytes"
		for k := 0; k < 1+rng.Intn(3); k++ {
			p := start + rng.Intn(len(base)-start-2)
			c[p] = byte(rng.Intn(256))
			desc += fmt.Sprintf(" %d", p)
		}
		out["corrupt "+desc] = c
	}
	return out
}

// TestLenientMatchesDjpeg damages sequential files (truncation, random
// bytes in the scan data, including bytes that become markers) and
// compares lenient decoding with djpeg's output wherever djpeg produces one.
func TestLenientMatchesDjpeg(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	files := []string{"s2x2-61x45.jpg", "s1x1-33x17.jpg", "s2x1-61x45.jpg", "gray-61x45.jpg",
		"rst-1b-420.jpg", "rst-3b-422.jpg", "rst-1row-420.jpg", "rst-5b-gray.jpg",
		"seq-3scans.jpg", "q1-photo.jpg", "optimized.jpg", "ycck.jpg"}
	compared, differ := 0, 0
	for _, name := range files {
		for desc, data := range damaged(t, name, rng) {
			w, h, ch, want, ok := djpegLenient(t, data)
			if !ok {
				continue
			}
			img, err := DecodeBytes(data, Options{Lenient: true})
			if err != nil {
				t.Errorf("%s %s: djpeg decoded it, lenient Decode failed: %v", name, desc, err)
				continue
			}
			compared++
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("%s %s: size %v, djpeg %dx%d", name, desc, b, w, h)
				continue
			}
			if n, first := countDiffs(img, w, h, ch, want); n != 0 {
				differ++
				t.Errorf("%s %s: %d pixels differ from djpeg, first %s", name, desc, n, first)
			}
		}
	}
	t.Logf("compared %d damaged files with djpeg, %d differ", compared, differ)
}

func TestLenientTruncatedProgressive(t *testing.T) {
	base := readGen(t, "prog-approx.jpg")
	for n := len(base) / 3; n < len(base); n += len(base) / 7 {
		if _, err := DecodeBytes(base[:n], Options{}); !errors.Is(err, ErrTruncated) {
			t.Errorf("strict, cut at %d: got %v, want ErrTruncated", n, err)
		}
		img, err := DecodeBytes(base[:n], Options{Lenient: true})
		if err != nil || img.Bounds().Dx() != 160 {
			t.Errorf("lenient, cut at %d: %v", n, err)
		}
	}
}
