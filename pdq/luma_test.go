package pdq

import (
	"math"
	"math/rand"
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

// TestRGBA8LumaRow checks the whole-row conversion, including the pixels
// after the last group of four.
func TestRGBA8LumaRow(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for n := 0; n < 40; n++ {
		px := make([]uint8, 4*n+rng.Intn(8))
		rng.Read(px)
		out := make([]float32, n)
		rgba8LumaRow(&lumaTab, px, out)
		for i, v := range out {
			want := rgbLuma(px[4*i], px[4*i+1], px[4*i+2])
			if math.Float32bits(v) != math.Float32bits(want) {
				t.Fatalf("width %d pixel %d: %v, want %v", n, i, v, want)
			}
		}
	}
}
