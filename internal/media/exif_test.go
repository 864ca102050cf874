package media

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestEXIFFields reads the fields exiftool wrote into every container format.
func TestEXIFFields(t *testing.T) {
	full := struct{ make, model, serial, lens, software, taken, offset string }{
		"HavenTest", "Bench Camera 1", "SN12345", "Test Lens 50mm", "haven-testdata", "2021:06:15 14:30:00", "+02:00",
	}
	tests := []struct {
		file        string
		exifOrient  int
		bigEndian   bool
		thumbnail   bool
		lat, lon    float64
		make, model string
	}{
		{"exif-full-mm.jpg", 6, true, true, 52.3676, 4.9041, full.make, full.model},
		{"exif.png", 3, true, false, 52.3676, 4.9041, full.make, full.model},
		{"exif.webp", 8, true, false, 52.3676, 4.9041, full.make, full.model},
		{"exif.tif", 5, false, false, 52.3676, 4.9041, full.make, full.model},
		{"heic-exif.heic", 6, true, true, 52.3676, 4.9041, full.make, full.model},
		{"avif-exif.avif", 6, true, true, 52.3676, 4.9041, full.make, full.model},
		{"exif-gps-sw-ii.jpg", 0, false, false, -33.8688, -151.2093, "LittleEndianCo", "LE-1"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			x := decodeFile(t, tc.file).EXIF
			if x == nil {
				t.Fatal("no EXIF")
			}
			if x.Orientation != tc.exifOrient || x.BigEndian != tc.bigEndian || x.HasThumbnail != tc.thumbnail ||
				x.Make != tc.make || x.Model != tc.model {
				t.Errorf("got %v big-endian=%t", x, x.BigEndian)
			}
			if x.GPS == nil || math.Abs(x.GPS.Latitude-tc.lat) > 1e-4 || math.Abs(x.GPS.Longitude-tc.lon) > 1e-4 {
				t.Errorf("GPS = %+v, want %v,%v", x.GPS, tc.lat, tc.lon)
			}
			if tc.make != full.make {
				return
			}
			got := []string{x.BodySerialNumber, x.LensModel, x.Software, x.DateTimeOriginal, x.OffsetTimeOriginal}
			want := []string{full.serial, full.lens, full.software, full.taken, full.offset}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("got %q, want %q", got, want)
			}
			taken, zoned, ok := x.Taken()
			if !ok || !zoned || !taken.Equal(time.Date(2021, 6, 15, 12, 30, 0, 0, time.UTC)) {
				t.Errorf("Taken = %v %t %t", taken, zoned, ok)
			}
		})
	}
}

func TestEXIFOrientation(t *testing.T) {
	for o := 1; o <= 8; o++ {
		d := decodeFile(t, fmt.Sprintf("exif-orient-%d.jpg", o))
		if d.Orientation != o || d.EXIF == nil || d.EXIF.Orientation != o || d.Width != 48 || d.Height != 32 {
			t.Errorf("orientation %d: got %d (%v) %dx%d", o, d.Orientation, d.EXIF, d.Width, d.Height)
		}
	}
}

// sharedDir is the project's shared test corpus, beside the repository in CI.
func sharedDir(t *testing.T, sub string) string {
	dir := filepath.Join("..", "..", "..", "shared", "testdata", "pdq", "images", "derived", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared test corpus not found at %s", dir)
	}
	return dir
}

func TestSharedEXIFOrientation(t *testing.T) {
	dir := sharedDir(t, "exif-orientation")
	for o := 1; o <= 8; o++ {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("chelsea-exif-%d.jpg", o)))
		if err != nil {
			t.Fatal(err)
		}
		d, err := Decode(context.Background(), b, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Orientation != o || d.Width != 320 || d.Height != 213 {
			t.Errorf("chelsea-exif-%d.jpg: orientation %d, %dx%d", o, d.Orientation, d.Width, d.Height)
		}
	}
}

func TestSharedFormats(t *testing.T) {
	dir := sharedDir(t, "formats")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in %s: %v", dir, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Decode(context.Background(), b, Limits{})
		base := filepath.Base(name)
		switch {
		case base == "truncated.jpg":
			if err == nil {
				t.Errorf("%s decoded", base)
			}
		case err != nil:
			t.Errorf("%s: %v", base, err)
		case base == "no_time_for_that_tiny.gif" || base == "palette_color.png":
		case d.Width != 240 || d.Height != 160:
			t.Errorf("%s: %dx%d", base, d.Width, d.Height)
		}
	}
}
