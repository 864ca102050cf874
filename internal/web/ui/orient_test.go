package ui

import (
	"image"
	"image/color"
	"testing"
)

// TestOrient turns a 3×2 image whose pixels are numbered 1..6 row by row
//
//	1 2 3
//	4 5 6
//
// by every EXIF orientation and compares with what the picture shows.
func TestOrient(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		src.Set(i%3, i/3, color.RGBA{R: uint8(i + 1), A: 255})
	}
	cases := map[int][][]uint8{
		1: {{1, 2, 3}, {4, 5, 6}},
		2: {{3, 2, 1}, {6, 5, 4}},
		3: {{6, 5, 4}, {3, 2, 1}},
		4: {{4, 5, 6}, {1, 2, 3}},
		5: {{1, 4}, {2, 5}, {3, 6}},
		6: {{4, 1}, {5, 2}, {6, 3}},
		7: {{6, 3}, {5, 2}, {4, 1}},
		8: {{3, 6}, {2, 5}, {1, 4}},
		0: {{1, 2, 3}, {4, 5, 6}},
	}
	for o, want := range cases {
		got := orient(src, o)
		if got.Bounds().Dy() != len(want) || got.Bounds().Dx() != len(want[0]) {
			t.Errorf("orientation %d: size %v", o, got.Bounds())
			continue
		}
		for y, row := range want {
			for x, v := range row {
				if r := got.RGBAAt(x, y).R; r != v {
					t.Errorf("orientation %d: pixel (%d,%d) = %d, want %d", o, x, y, r, v)
				}
			}
		}
	}
}
