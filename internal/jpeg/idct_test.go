package jpeg

import (
	"math/rand"
	"testing"
)

// idct1D is a plain reference of one pass: it computes the unscaled 8-point inverse transform of x (before the
// pass's final rounding shift).
func idct1D(x0, x1, x2, x3, x4, x5, x6, x7 int) (o0, o1, o2, o3, o4, o5, o6, o7 int) {
	// Even part: inputs 0, 2, 4, 6.
	z1 := (x2 + x6) * fix0541196100
	e2 := z1 - x6*fix1847759065
	e3 := z1 + x2*fix0765366865
	e0 := (x0 + x4) << constBits
	e1 := (x0 - x4) << constBits
	t10, t13 := e0+e3, e0-e3
	t11, t12 := e1+e2, e1-e2

	// Odd part: inputs 7, 5, 3, 1.
	za, zb, zc, zd := x7+x1, x5+x3, x7+x3, x5+x1
	z5 := (zc + zd) * fix1175875602
	a := x7 * fix0298631336
	b := x5 * fix2053119869
	c := x3 * fix3072711026
	d := x1 * fix1501321110
	za *= -fix0899976223
	zb *= -fix2562915447
	zc = zc*-fix1961570560 + z5
	zd = zd*-fix0390180644 + z5
	a += za + zc
	b += zb + zd
	c += zb + zc
	d += za + zd

	return t10 + d, t11 + c, t12 + b, t13 + a, t13 - a, t12 - b, t11 - c, t10 - d
}

// refIDCT is a plain islow inverse DCT without shortcuts.
func refIDCT(blk *[64]int16, q *[64]int32) (out [64]byte) {
	var ws [64]int
	for c := 0; c < 8; c++ {
		var x [8]int
		for r := range x {
			x[r] = int(blk[r*8+c]) * int(q[r*8+c])
		}
		o := [8]int{}
		o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = idct1D(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7])
		for r := range o {
			ws[r*8+c] = (o[r] + round1) >> shift1
		}
	}
	for r := 0; r < 8; r++ {
		w := ws[r*8 : r*8+8]
		o := [8]int{}
		o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = idct1D(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7])
		for c := range o {
			out[r*8+c] = clamp8(int32((o[c] + round2) >> shift2))
		}
	}
	return out
}

// TestIDCTShortcuts checks the sparse shortcuts of idctFull and
// idctPartial against the plain transform on random blocks of many shapes.
func TestIDCTShortcuts(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var q [64]int32
	for i := range q {
		q[i] = int32(1 + rng.Intn(40))
	}
	var ws [64]int32
	tested := 0
	for iter := 0; iter < 20000; iter++ {
		var blk [64]int16
		var nz uint64
		// Fill a random subset: a few low positions, or anything.
		n := rng.Intn(12)
		span := []int{1, 2, 10, 64}[rng.Intn(4)]
		for k := 0; k < n; k++ {
			z := naturalOrder[rng.Intn(span)]
			v := int16(rng.Intn(512) - 256)
			if iter%7 == 0 {
				v *= 8
			}
			blk[z] = v
			nz |= 1 << z
		}
		if iter%3 == 0 {
			nz |= zigzagPrefix[rng.Intn(64)] // masks may be supersets
		}
		want := refIDCT(&blk, &q)
		var got [64]byte
		if !idctFull(&blk, &q, nz, got[:], 8, &ws) {
			continue // renderBlock sends such blocks to idctSIMD
		}
		tested++
		if got != want {
			t.Fatalf("idctFull differs for %v (mask %x)", blk, nz)
		}
		rm := uint8(rng.Intn(256))
		var rowOff [8]int
		for i := 0; i < 8; i++ {
			rowOff[i] = i * 8
		}
		var part [64]byte
		if !idctPartial(&blk, &q, nz, rm, part[:], &rowOff, 0, &ws) {
			t.Fatalf("idctPartial refuses a block idctFull accepts: %v", blk)
		}
		for r := 0; r < 8; r++ {
			for c := 0; c < 8; c++ {
				if rm&(1<<r) != 0 && part[r*8+c] != want[r*8+c] {
					t.Fatalf("idctPartial differs at (%d,%d) for %v", r, c, blk)
				}
			}
		}
	}
	if tested < 5000 {
		t.Fatalf("only %d of 20000 random blocks were within the 16-bit limits", tested)
	}
}

// TestClampTableCovers checks the bound that clampRow relies on: row
// outputs from inputs below 2^14 in magnitude stay within the table.
func TestClampTableCovers(t *testing.T) {
	sum := 0
	for c := 0; c < 8; c++ {
		s := 0
		for k := 0; k < 8; k++ {
			var x [8]int
			x[k] = 1
			var o [8]int
			o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = idct1D(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7])
			s += max(o[c], -o[c])
		}
		sum = max(sum, s)
	}
	if bound := (1<<14)*sum>>shift2 + 1; bound+128 >= clampHalf {
		t.Fatalf("row outputs up to %d do not fit the clamp table (±%d)", bound, clampHalf)
	}
}
