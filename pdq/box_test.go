package pdq

import (
	"math"
	"math/rand"
	"testing"
)

// TestBoxRows4MatchesBox1D checks that the four-row filter gives, bit for
// bit, what the one-vector filter (the reference's loop) gives on each row.
func TestBoxRows4MatchesBox1D(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 300; iter++ {
		cols := 1 + rng.Intn(700)
		win := jaroszWindow(cols, downDim)
		if iter%5 == 0 {
			win = 1 + rng.Intn(cols)
		}
		in := make([]float32, 4*cols)
		for i := range in {
			in[i] = float32(rng.Intn(256)) * (0.5 + rng.Float32())
		}
		var want []bool
		if iter%2 == 1 {
			want = make([]bool, cols)
			for i := range want {
				want[i] = rng.Intn(8) == 0
			}
		}
		got := make([]float32, 4*cols)
		boxRows4(in, got, cols, win, want)
		for r := 0; r < 4; r++ {
			ref := make([]float32, cols)
			box1D(in[r*cols:(r+1)*cols], ref, win, want)
			for i, v := range ref {
				if math.Float32bits(v) != math.Float32bits(got[r*cols+i]) {
					t.Fatalf("cols %d win %d row %d col %d: %v, box1D %v", cols, win, r, i, got[r*cols+i], v)
				}
			}
		}
	}
}
