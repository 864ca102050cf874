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

// TestBoxColsMatchesBox1D checks the row-sweeping column filter against the
// one-vector filter run down each column.
func TestBoxColsMatchesBox1D(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for iter := 0; iter < 100; iter++ {
		rows, cols := 1+rng.Intn(300), 1+rng.Intn(40)
		win := jaroszWindow(rows, downDim)
		if iter%3 == 0 {
			win = 1 + rng.Intn(rows)
		}
		in := make([]float32, rows*cols)
		for i := range in {
			in[i] = float32(rng.Intn(256)) * (0.5 + rng.Float32())
		}
		got := make([]float32, rows*cols)
		boxCols(in, got, rows, cols, win, make([]float32, cols))
		col, ref := make([]float32, rows), make([]float32, rows)
		for c := 0; c < cols; c++ {
			for r := range col {
				col[r] = in[r*cols+c]
			}
			box1D(col, ref, win, nil)
			for r, v := range ref {
				if math.Float32bits(v) != math.Float32bits(got[r*cols+c]) {
					t.Fatalf("rows %d win %d (%d,%d): %v, box1D %v", rows, win, r, c, got[r*cols+c], v)
				}
			}
		}
	}
}

// TestBoxColsDecimateMatchesBox1D checks the fused last column pass against
// box1D down each sampled column, on sizes from the smallest hashable up.
func TestBoxColsDecimateMatchesBox1D(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for iter := 0; iter < 100; iter++ {
		rows, cols := minHashableDim+rng.Intn(600), minHashableDim+rng.Intn(600)
		if iter < 10 {
			rows, cols = minHashableDim+iter, minHashableDim+2*iter
		}
		win := jaroszWindow(rows, downDim)
		in := make([]float32, rows*cols)
		for i := range in {
			in[i] = float32(rng.Intn(256)) * (0.5 + rng.Float32())
		}
		ri, ci := decimationIndex(rows), decimationIndex(cols)
		var got [downDim * downDim]float32
		boxColsDecimate(in, rows, cols, win, &ri, &ci, make([]float32, downDim), &got)
		col, ref := make([]float32, rows), make([]float32, rows)
		for j, c := range ci {
			for r := range col {
				col[r] = in[r*cols+c]
			}
			box1D(col, ref, win, nil)
			for i, r := range ri {
				if v := got[i*downDim+j]; math.Float32bits(v) != math.Float32bits(ref[r]) {
					t.Fatalf("%dx%d (%d,%d): %v, box1D %v", cols, rows, i, j, v, ref[r])
				}
			}
		}
	}
}
