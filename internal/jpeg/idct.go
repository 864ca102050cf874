package jpeg

// The inverse DCT is libjpeg's "islow" method: the Loeffler–Ligtenberg–
// Moschytz factorisation with 13-bit fixed-point constants, applied to
// columns and then rows. After the column pass, values keep 2 extra bits
// (pass1Bits); after the row pass they are rounded, shifted by 3 more bits
// for the 1/8 scaling, offset by 128 and clamped to 0..255 (the clamping is
// what libjpeg-turbo's SIMD code does; its C code wraps far out-of-range
// values instead, which only corrupt data can produce).
//
// Each pass is linear with integer coefficients and rounds once at its end,
// so an output sample also equals a fixed integer matrix applied to the
// input and rounded: idctPartial uses that to compute single samples.

const (
	constBits = 13
	pass1Bits = 2
)

// fix returns x in constBits fixed point, rounded as libjpeg's FIX macro.
func fix(x float64) int { return int(x*(1<<constBits) + 0.5) }

var (
	fix0298631336 = fix(0.298631336)
	fix0390180644 = fix(0.390180644)
	fix0541196100 = fix(0.541196100)
	fix0765366865 = fix(0.765366865)
	fix0899976223 = fix(0.899976223)
	fix1175875602 = fix(1.175875602)
	fix1501321110 = fix(1.501321110)
	fix1847759065 = fix(1.847759065)
	fix1961570560 = fix(1.961570560)
	fix2053119869 = fix(2.053119869)
	fix2562915447 = fix(2.562915447)
	fix3072711026 = fix(3.072711026)
)

// idct1D computes the unscaled 8-point inverse transform of x (before the
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

// clamp8 offsets a descaled sample by 128 and clamps it to a byte.
func clamp8(v int) byte {
	v += 128
	if uint(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return byte(v)
}

const (
	round1 = 1 << (constBits - pass1Bits - 1)
	shift1 = constBits - pass1Bits
	round2 = 1 << (constBits + pass1Bits + 3 - 1)
	shift2 = constBits + pass1Bits + 3
)

// idctFull transforms one block of quantised coefficients (natural order)
// and writes 8×8 samples to dst with the given stride.
func idctFull(blk *[64]int16, q *[64]int32, dst []byte, stride int) {
	var ws [64]int
	for col := 0; col < 8; col++ {
		if blk[8+col]|blk[16+col]|blk[24+col]|blk[32+col]|blk[40+col]|blk[48+col]|blk[56+col] == 0 {
			dc := int(blk[col]) * int(q[col]) << pass1Bits
			for r := 0; r < 64; r += 8 {
				ws[r+col] = dc
			}
			continue
		}
		o0, o1, o2, o3, o4, o5, o6, o7 := idct1D(
			int(blk[col])*int(q[col]), int(blk[8+col])*int(q[8+col]),
			int(blk[16+col])*int(q[16+col]), int(blk[24+col])*int(q[24+col]),
			int(blk[32+col])*int(q[32+col]), int(blk[40+col])*int(q[40+col]),
			int(blk[48+col])*int(q[48+col]), int(blk[56+col])*int(q[56+col]))
		ws[col] = (o0 + round1) >> shift1
		ws[8+col] = (o1 + round1) >> shift1
		ws[16+col] = (o2 + round1) >> shift1
		ws[24+col] = (o3 + round1) >> shift1
		ws[32+col] = (o4 + round1) >> shift1
		ws[40+col] = (o5 + round1) >> shift1
		ws[48+col] = (o6 + round1) >> shift1
		ws[56+col] = (o7 + round1) >> shift1
	}
	for row := 0; row < 8; row++ {
		w := ws[row*8 : row*8+8 : row*8+8]
		out := dst[row*stride : row*stride+8 : row*stride+8]
		if w[1]|w[2]|w[3]|w[4]|w[5]|w[6]|w[7] == 0 {
			v := clamp8((w[0] + 16) >> 5)
			for i := range out {
				out[i] = v
			}
			continue
		}
		o0, o1, o2, o3, o4, o5, o6, o7 := idct1D(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7])
		out[0] = clamp8((o0 + round2) >> shift2)
		out[1] = clamp8((o1 + round2) >> shift2)
		out[2] = clamp8((o2 + round2) >> shift2)
		out[3] = clamp8((o3 + round2) >> shift2)
		out[4] = clamp8((o4 + round2) >> shift2)
		out[5] = clamp8((o5 + round2) >> shift2)
		out[6] = clamp8((o6 + round2) >> shift2)
		out[7] = clamp8((o7 + round2) >> shift2)
	}
}

// idctMatrix[k][j] is the coefficient of input j in unscaled output k of
// idct1D.
var idctMatrix [8][8]int

func init() {
	for j := 0; j < 8; j++ {
		var x [8]int
		x[j] = 1
		o0, o1, o2, o3, o4, o5, o6, o7 := idct1D(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7])
		for k, o := range [8]int{o0, o1, o2, o3, o4, o5, o6, o7} {
			idctMatrix[k][j] = o
		}
	}
}

// idctPartial computes only the samples of rows in rowMask and columns in
// colMask (bit i = row or column i), calling put for each.
func idctPartial(blk *[64]int16, q *[64]int32, rowMask, colMask uint8, put func(r, c int, v byte)) {
	var deq [64]int
	nzRows := uint8(0)
	for i, v := range blk {
		if v != 0 {
			deq[i] = int(v) * int(q[i])
			nzRows |= 1 << (i >> 3)
		}
	}
	for r := 0; r < 8; r++ {
		if rowMask&(1<<r) == 0 {
			continue
		}
		// Column pass for output row r, all 8 columns.
		var ws [8]int
		m := &idctMatrix[r]
		for j := 0; j < 8; j++ {
			if nzRows&(1<<j) == 0 {
				continue
			}
			mj := m[j]
			row := deq[j*8 : j*8+8]
			for c := range ws {
				ws[c] += mj * row[c]
			}
		}
		for c := range ws {
			ws[c] = (ws[c] + round1) >> shift1
		}
		// Row pass for the wanted columns.
		for c := 0; c < 8; c++ {
			if colMask&(1<<c) == 0 {
				continue
			}
			mc := &idctMatrix[c]
			s := 0
			for k, w := range ws {
				s += mc[k] * w
			}
			put(r, c, clamp8((s+round2)>>shift2))
		}
	}
}
