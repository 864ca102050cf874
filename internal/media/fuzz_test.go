package media

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds mutated files of every format to Decode. Any result is
// fine except a panic, an error outside the documented classes, or an image
// that disagrees with its own description.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, name := range files {
		if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() && st.Size() < 64<<10 {
			b, _ := os.ReadFile(name)
			f.Add(b)
		}
	}
	f.Add(pngHeader(30000, 30000))
	externalHEIF = false // no subprocess per input
	lim := Limits{MaxPixels: 1 << 20, MaxBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Decode(context.Background(), b, lim)
		if err != nil {
			if !errors.Is(err, ErrUnknownFormat) && !errors.Is(err, ErrTooLarge) &&
				!errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("unclassified error %T: %v", err, err)
			}
			return
		}
		bounds := d.Image.Bounds()
		if bounds.Dx() != d.Width || bounds.Dy() != d.Height || int64(d.Width)*int64(d.Height) > lim.MaxPixels {
			t.Fatalf("%s: bounds %v, reported %dx%d", d.Format, bounds, d.Width, d.Height)
		}
		if d.Orientation < 0 || d.Orientation > 8 {
			t.Fatalf("orientation %d", d.Orientation)
		}
	})
}
