package jpeg

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sharedImages is the shared PDQ corpus, a sibling of the repository.
const sharedImages = "../../../shared/testdata/pdq/images"

// jpegFiles lists the JPEG files under dir (recursively), sorted.
func jpegFiles(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(filepath.Ext(path))
		if !e.IsDir() && (ext == ".jpg" || ext == ".jpeg") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	sort.Strings(files)
	return files
}

// sharedJPEGs returns the shared corpus JPEGs or skips the test.
func sharedJPEGs(t testing.TB) []string {
	t.Helper()
	if _, err := os.Stat(sharedImages); err != nil {
		t.Skipf("shared test images not found at %s (they sit beside the repository in CI)", sharedImages)
	}
	return jpegFiles(t, sharedImages)
}

// localJPEGs returns the JPEGs generated for this package.
func localJPEGs(t testing.TB) []string {
	return jpegFiles(t, "testdata/gen")
}

// djpeg decodes path with libjpeg-turbo's djpeg -pnm and returns the
// samples (1 or 3 per pixel), or skips if djpeg is missing.
func djpeg(t testing.TB, path string) (w, h, channels int, pix []byte, err error) {
	t.Helper()
	bin, lookErr := exec.LookPath("djpeg")
	if lookErr != nil {
		t.Skip("djpeg not installed (Debian: apt-get install libjpeg-turbo-progs)")
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "-pnm", path)
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	if runErr != nil {
		return 0, 0, 0, nil, fmt.Errorf("djpeg: %v: %s", runErr, stderr.String())
	}
	w, h, channels, pix, err = parsePNM(out)
	return w, h, channels, pix, err
}

// parsePNM reads a binary PGM (P5) or PPM (P6) with maxval 255.
func parsePNM(b []byte) (w, h, channels int, pix []byte, err error) {
	var magic string
	var maxval int
	r := bytes.NewReader(b)
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxval); err != nil {
		return 0, 0, 0, nil, fmt.Errorf("pnm header: %w", err)
	}
	switch magic {
	case "P5":
		channels = 1
	case "P6":
		channels = 3
	default:
		return 0, 0, 0, nil, fmt.Errorf("pnm magic %q", magic)
	}
	if maxval != 255 {
		return 0, 0, 0, nil, fmt.Errorf("pnm maxval %d", maxval)
	}
	rest := b[len(b)-r.Len()+1:] // one whitespace byte after maxval
	if len(rest) != w*h*channels {
		return 0, 0, 0, nil, fmt.Errorf("pnm size %d, want %d", len(rest), w*h*channels)
	}
	return w, h, channels, rest, nil
}

// countDiffs compares img with djpeg samples and returns the number of
// differing pixels and the first one.
func countDiffs(img image.Image, w, h, channels int, pix []byte) (int, string) {
	n, first := 0, ""
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			want := pix[(y*w+x)*channels : (y*w+x+1)*channels]
			var got []byte
			switch m := img.(type) {
			case *image.Gray:
				got = []byte{m.Pix[y*m.Stride+x]}
			case *image.RGBA:
				got = m.Pix[y*m.Stride+4*x : y*m.Stride+4*x+3]
			}
			if !bytes.Equal(got, want) {
				if n == 0 {
					first = fmt.Sprintf("(%d,%d) got %v want %v", x, y, got, want)
				}
				n++
			}
		}
	}
	return n, first
}

// unsupportedFiles are valid JPEGs that djpeg decodes and this package
// does not (arithmetic coding).
var unsupportedFiles = map[string]bool{"arith.jpg": true}

func TestMatchesDjpeg(t *testing.T) {
	files := append(sharedJPEGsOrNone(t), localJPEGs(t)...)
	if len(files) == 0 {
		t.Skip("no JPEG files")
	}
	for _, path := range files {
		w, h, ch, want, djErr := djpeg(t, path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := DecodeBytes(data, Options{})
		if djErr != nil {
			if err == nil {
				t.Errorf("%s: djpeg failed (%v) but Decode succeeded", path, djErr)
			}
			if strings.Contains(path, "testdata/gen") {
				t.Errorf("%s: generated fixture is not a valid JPEG: %v", path, djErr)
			}
			continue
		}
		if unsupportedFiles[filepath.Base(path)] {
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s: got %v, want ErrUnsupported", path, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
			t.Errorf("%s: size %v, djpeg %dx%d", path, b, w, h)
			continue
		}
		if _, gray := img.(*image.Gray); gray != (ch == 1) {
			t.Errorf("%s: got %T, djpeg wrote %d channels", path, img, ch)
			continue
		}
		if n, first := countDiffs(img, w, h, ch, want); n != 0 {
			t.Errorf("%s: %d of %d pixels differ from djpeg, first %s", path, n, w*h, first)
		} else {
			t.Logf("%s: %dx%d identical", path, w, h)
		}
	}
}

// sharedJPEGsOrNone is sharedJPEGs without skipping.
func sharedJPEGsOrNone(t testing.TB) []string {
	if _, err := os.Stat(sharedImages); errors.Is(err, fs.ErrNotExist) {
		t.Logf("shared test images not found at %s; using local files only", sharedImages)
		return nil
	}
	return jpegFiles(t, sharedImages)
}
