package bmff

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParse(t *testing.T) {
	tests := []struct {
		file        string
		major       string
		primaryType string
		w, h        int
		orient      int
		alpha       int
		exif        bool
	}{
		{"heic-chelsea.heic", "heic", "grid", 48, 32, 0, 0, false}, // a grid of one 64x64 tile, in idat
		{"heic-alpha.heic", "heic", "grid", 48, 32, 0, 1, false},
		{"heic-exif.heic", "heic", "grid", 48, 32, 0, 0, true},
		{"heic-irot1.heic", "heic", "grid", 48, 32, 8, 0, false},
		{"heic-wide.heic", "heic", "grid", 112, 75, 0, 0, false},
		{"avif-chelsea.avif", "avif", "av01", 48, 32, 0, 0, false},
		{"avif-alpha.avif", "avif", "av01", 48, 32, 0, 1, false},
		{"avif-exif.avif", "avif", "av01", 48, 32, 0, 0, true},
		{"avif-irot3.avif", "avif", "av01", 48, 32, 6, 0, false},
		{"avif-imir1.avif", "avif", "av01", 48, 32, 2, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data := readFile(t, tc.file)
			f, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			it, err := f.PrimaryItem()
			if err != nil {
				t.Fatal(err)
			}
			if f.MajorBrand != tc.major || it.Type != tc.primaryType || it.Width != tc.w || it.Height != tc.h ||
				it.Orientation() != tc.orient || len(f.AlphaAuxOffsets()) != tc.alpha {
				t.Errorf("got brand %q item %q %dx%d orientation %d alpha %d", f.MajorBrand, it.Type,
					it.Width, it.Height, it.Orientation(), len(f.AlphaAuxOffsets()))
			}
			for _, off := range f.AlphaAuxOffsets() {
				if !bytes.HasPrefix(data[off:], []byte("urn:")) {
					t.Errorf("alpha offset %d points at %q", off, data[off:off+8])
				}
			}
			x := f.ExifItem()
			if (x != nil) != tc.exif {
				t.Fatalf("Exif item = %v, want present=%t", x, tc.exif)
			}
			if x == nil {
				return
			}
			b, err := f.ItemData(x)
			if err != nil || len(b) < 10 || !bytes.Contains(b[:16], []byte("MM\x00*")) {
				t.Errorf("Exif item data %q, %v", b[:min(len(b), 16)], err)
			}
		})
	}
}

func TestDisplaySize(t *testing.T) {
	it := &Item{Width: 4032, Height: 3024, Transforms: []Transform{{Rotate: 3, Mirror: -1}}}
	if w, h := it.DisplaySize(); w != 3024 || h != 4032 {
		t.Errorf("rotated: %dx%d", w, h)
	}
	it = &Item{Width: 100, Height: 80, CleanW: 90, CleanH: 70}
	if w, h := it.DisplaySize(); w != 90 || h != 70 {
		t.Errorf("clap: %dx%d", w, h)
	}
}

// TestOrientation checks irot/imir combinations against the EXIF meanings,
// including the HEIF order of application (rotate, then mirror).
func TestOrientation(t *testing.T) {
	rot := func(n int) Transform { return Transform{Rotate: n, Mirror: -1} }
	tests := []struct {
		tr   []Transform
		want int
	}{
		{nil, 0},
		{[]Transform{rot(0)}, 1},
		{[]Transform{{Mirror: 1}}, 2},
		{[]Transform{rot(2)}, 3},
		{[]Transform{{Mirror: 0}}, 4},
		{[]Transform{rot(3)}, 6},
		{[]Transform{rot(1)}, 8},
		{[]Transform{rot(1), {Mirror: 0}}, 5}, // 90° anticlockwise, then top-bottom: transpose
		{[]Transform{rot(3), {Mirror: 0}}, 7}, // 90° clockwise, then top-bottom: transverse
		{[]Transform{rot(1), {Mirror: 1}}, 7},
		{[]Transform{{Mirror: 1}, {Mirror: 0}}, 3},
	}
	for _, tc := range tests {
		if got := (&Item{Transforms: tc.tr}).Orientation(); got != tc.want {
			t.Errorf("%+v: orientation %d, want %d", tc.tr, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	good := readFile(t, "avif-exif.avif")
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"no ftyp", []byte("\x00\x00\x00\x08free")},
		{"ftyp only", []byte("\x00\x00\x00\x10ftypavif\x00\x00\x00\x00")},
		{"box past end", []byte("\x00\x00\x00\x10ftypavif\x00\x00\x00\x00\x00\x00\x10\x00meta")},
		{"truncated", good[:200]},
	}
	for _, tc := range tests {
		if _, err := Parse(tc.data); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

func TestBrandsTruncated(t *testing.T) {
	head := readFile(t, "avif-chelsea.avif")[:20]
	major, compat, ok := Brands(head)
	if !ok || major != "avif" || len(compat) != 1 || compat[0] != "avif" {
		t.Errorf("Brands = %q %q %t", major, compat, ok)
	}
}

func FuzzBMFF(f *testing.F) {
	for _, name := range []string{"heic-exif.heic", "heic-alpha.heic", "avif-exif.avif", "avif-irot3.avif"} {
		f.Add(readFile(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		Brands(b)
		file, err := Parse(b)
		if err != nil {
			return
		}
		for _, off := range file.AlphaAuxOffsets() {
			if off < 0 || off >= len(b) {
				t.Fatalf("alpha offset %d outside %d bytes", off, len(b))
			}
		}
		for _, it := range file.Items {
			it.DisplaySize()
			if o := it.Orientation(); o < 0 || o > 8 {
				t.Fatalf("orientation %d", o)
			}
			if d, err := file.ItemData(it); err == nil && len(d) > len(b)+len(file.idat) && len(it.extents) < 2 {
				t.Fatalf("item data %d bytes from %d", len(d), len(b))
			}
		}
		file.ExifItem()
	})
}
