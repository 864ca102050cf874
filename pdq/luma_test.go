package pdq

import (
	"math"
	"testing"
)

// TestLumaTables checks that the table form of the luminance equals
// rgbLuma bit for bit on every colour.
func TestLumaTables(t *testing.T) {
	tab := &lumaTab
	for r := range 256 {
		for g := range 256 {
			for b := range 256 {
				got := tab.r[r] + tab.g[g] + tab.b[b]
				want := rgbLuma(uint8(r), uint8(g), uint8(b))
				if math.Float32bits(got) != math.Float32bits(want) {
					t.Fatalf("rgb(%d,%d,%d): table %v, rgbLuma %v", r, g, b, got, want)
				}
			}
		}
	}
}
