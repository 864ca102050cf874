package jpeg

import (
	"encoding/binary"
	"math/bits"
)

// The inverse DCT is libjpeg's "islow" method: the Loeffler–Ligtenberg–
// Moschytz factorisation with 13-bit fixed-point constants, applied to
// columns and then rows. After the column pass, values keep 2 extra bits
// (pass1Bits); after the row pass they are rounded, shifted by 3 more bits
// for the 1/8 scaling, offset by 128 and clamped to 0..255 (the clamping is
// what libjpeg-turbo's SIMD code does; its C code wraps far out-of-range
// values instead, which only corrupt data can produce).
//

const (
	constBits = 13
	pass1Bits = 2
)

// fix returns x in constBits fixed point, rounded as libjpeg's FIX macro.
func fix(x float64) int { return int(x*(1<<constBits) + 0.5) }

// The constants of the factorisation, FIX(x) = round(x·2¹³) (checked by
// TestFixConstants).
const (
	fix0298631336 = 2446  // 0.298631336
	fix0390180644 = 3196  // 0.390180644
	fix0541196100 = 4433  // 0.541196100
	fix0765366865 = 6270  // 0.765366865
	fix0899976223 = 7373  // 0.899976223
	fix1175875602 = 9633  // 1.175875602
	fix1501321110 = 12299 // 1.501321110
	fix1847759065 = 15137 // 1.847759065
	fix1961570560 = 16069 // 1.961570560
	fix2053119869 = 16819 // 2.053119869
	fix2562915447 = 20995 // 2.562915447
	fix3072711026 = 25172 // 3.072711026
)

// clamp8 offsets a descaled sample by 128 and clamps it to a byte.
func clamp8(v int32) byte {
	return byte(min(max(v+128, 0), 255))
}

// The row pass clamps through a table: for blocks that pass within16, the
// first pass's outputs are below 2^14 in magnitude, so a row output is at
// most 2^14 · 61214 / 2^18 < 3827 (61214 is the largest absolute row sum of
// the row butterfly's weights; TestClampTableCovers checks it), and
// v+128 lies well within ±clampHalf, where the table is exact.
const (
	clampHalf = 4096
	clampBias = clampHalf + 128
)

var clampTab = func() (t [2 * clampHalf]byte) {
	for i := range t {
		t[i] = clamp8(int32(i - clampBias))
	}
	return t
}()

// clampRow is clamp8 for row-pass outputs of blocks that pass within16.
func clampRow(v int32) byte {
	return clampTab[(v+clampBias)&(2*clampHalf-1)]
}

const (
	round1 = 1 << (constBits - pass1Bits - 1)
	shift1 = constBits - pass1Bits
	round2 = 1 << (constBits + pass1Bits + 3 - 1)
	shift2 = constBits + pass1Bits + 3
)

// maskCols folds a coefficient mask to a bit per column.
func maskCols(nz uint64) uint8 {
	nz |= nz >> 32
	nz |= nz >> 16
	nz |= nz >> 8
	return uint8(nz)
}

// idctFull transforms one block of quantised coefficients (natural order),
// whose non-zero positions are within the mask nz, and writes 8×8 samples to
// dst with the given stride. Inputs known to be zero are skipped: the
// arithmetic on the others is unchanged, so results are identical. The
// butterflies are written out in place (no calls) for speed.
//
// It returns false, having written nothing, for a block that might overflow
// libjpeg-turbo's 16-bit SIMD arithmetic (see within16); such blocks must go
// through idctSIMD.
func idctFull(blk *[64]int16, q *[64]int32, nz uint64, dst []byte, stride int, ws *[64]int32) bool {
	_ = dst[7*stride+7]
	if nz&^1 == 0 {
		dc := int(blk[0]) * int(q[0])
		if !within16(uint(dc^dc>>63), 0) {
			return false
		}
		v := uint64(clamp8(int32((dc<<pass1Bits + 16) >> 5)))
		v *= 0x0101010101010101
		for r := 0; r < 8; r++ {
			binary.LittleEndian.PutUint64(dst[r*stride:r*stride+8], v)
		}
		return true
	}
	colAny := maskCols(nz)
	colAC := maskCols(nz &^ 0xff)
	if !idctColumns(blk, q, ws, colAny, colAC, maskCols(nz>>32)) {
		return false
	}
	switch {
	case colAny == 1:
		for row := 0; row < 8; row++ {
			v := uint64(clamp8((ws[row*8] + 16) >> 5))
			binary.LittleEndian.PutUint64(dst[row*stride:row*stride+8], v*0x0101010101010101)
		}
	case colAny&^15 == 0:
		for row := 0; row < 8; row++ {
			idctRow4(ws[row*8:row*8+4:row*8+4], dst[row*stride:row*stride+8:row*stride+8])
		}
	default:
		for row := 0; row < 8; row++ {
			idctRow8(ws[row*8:row*8+8:row*8+8], dst[row*stride:row*stride+8:row*stride+8])
		}
	}
	return true
}

// idctColumns is the first pass, filling the columns of ws that the row
// pass reads (see ncols): columns with
// coefficients (colAny) are transformed, using
// the DC shortcut for those without AC terms and the 4-input butterfly for
// those whose rows 4..7 are empty (not in colHi).
//
// It also bounds the dequantised inputs for within16, from ORs of their
// magnitudes (v XOR its sign is |v| or |v|−1): m0 over row 0, m over the
// other rows, and reports the result.
func idctColumns(blk *[64]int16, q *[64]int32, ws *[64]int32, colAny, colAC, colHi uint8) bool {
	var m0, m uint
	// The row pass reads only the columns up to the last one with
	// coefficients when that is column 0 or within 0..3.
	ncols := 8
	if colAny&^15 == 0 {
		ncols = 4
		if colAny == 1 {
			ncols = 1
		}
	}
	for col := 0; col < 8 && col < ncols; col++ {
		if colAny&(1<<col) == 0 {
			ws[col], ws[8+col], ws[16+col], ws[24+col] = 0, 0, 0, 0
			ws[32+col], ws[40+col], ws[48+col], ws[56+col] = 0, 0, 0, 0
			continue
		}
		if colAC&(1<<col) == 0 {
			x0 := int(blk[col]) * int(q[col])
			m0 |= uint(x0 ^ x0>>63)
			dc := int32(x0) << pass1Bits
			ws[col], ws[8+col], ws[16+col], ws[24+col] = dc, dc, dc, dc
			ws[32+col], ws[40+col], ws[48+col], ws[56+col] = dc, dc, dc, dc
			continue
		}
		x0 := int(blk[col]) * int(q[col])
		x1 := int(blk[8+col]) * int(q[8+col])
		x2 := int(blk[16+col]) * int(q[16+col])
		x3 := int(blk[24+col]) * int(q[24+col])
		m0 |= uint(x0 ^ x0>>63)
		m |= uint(x1^x1>>63) | uint(x2^x2>>63) | uint(x3^x3>>63)
		var t10, t11, t12, t13, a, b, c, d int
		if colHi&(1<<col) == 0 {
			z1 := x2 * fix0541196100
			e3 := z1 + x2*fix0765366865
			e0 := x0<<constBits + round1
			t10, t13 = e0+e3, e0-e3
			t11, t12 = e0+z1, e0-z1
			z5 := (x3 + x1) * fix1175875602
			za := x1 * -fix0899976223
			zb := x3 * -fix2562915447
			zc := x3*-fix1961570560 + z5
			zd := x1*-fix0390180644 + z5
			a = za + zc
			b = zb + zd
			c = x3*fix3072711026 + zb + zc
			d = x1*fix1501321110 + za + zd
		} else {
			x4 := int(blk[32+col]) * int(q[32+col])
			x5 := int(blk[40+col]) * int(q[40+col])
			x6 := int(blk[48+col]) * int(q[48+col])
			x7 := int(blk[56+col]) * int(q[56+col])
			m |= uint(x4^x4>>63) | uint(x5^x5>>63) | uint(x6^x6>>63) | uint(x7^x7>>63)
			z1 := (x2 + x6) * fix0541196100
			e2 := z1 - x6*fix1847759065
			e3 := z1 + x2*fix0765366865
			e0 := (x0+x4)<<constBits + round1
			e1 := (x0-x4)<<constBits + round1
			t10, t13 = e0+e3, e0-e3
			t11, t12 = e1+e2, e1-e2
			za, zb, zc, zd := x7+x1, x5+x3, x7+x3, x5+x1
			z5 := (zc + zd) * fix1175875602
			za *= -fix0899976223
			zb *= -fix2562915447
			zc = zc*-fix1961570560 + z5
			zd = zd*-fix0390180644 + z5
			a = x7*fix0298631336 + za + zc
			b = x5*fix2053119869 + zb + zd
			c = x3*fix3072711026 + zb + zc
			d = x1*fix1501321110 + za + zd
		}
		ws[col] = int32((t10 + d) >> shift1)
		ws[8+col] = int32((t11 + c) >> shift1)
		ws[16+col] = int32((t12 + b) >> shift1)
		ws[24+col] = int32((t13 + a) >> shift1)
		ws[32+col] = int32((t13 - a) >> shift1)
		ws[40+col] = int32((t12 - b) >> shift1)
		ws[48+col] = int32((t11 - c) >> shift1)
		ws[56+col] = int32((t10 - d) >> shift1)
	}
	return within16(m0, m)
}

// idctRow4 is the second pass for a row whose inputs 4..7 are zero.
func idctRow4(w []int32, out []byte) {
	w = w[:4]
	out = out[:8]
	x0, x1, x2, x3 := int(w[0]), int(w[1]), int(w[2]), int(w[3])
	z1 := x2 * fix0541196100
	e3 := z1 + x2*fix0765366865
	e0 := x0<<constBits + round2
	t10, t13 := e0+e3, e0-e3
	t11, t12 := e0+z1, e0-z1
	z5 := (x3 + x1) * fix1175875602
	za := x1 * -fix0899976223
	zb := x3 * -fix2562915447
	zc := x3*-fix1961570560 + z5
	zd := x1*-fix0390180644 + z5
	a := za + zc
	b := zb + zd
	c := x3*fix3072711026 + zb + zc
	d := x1*fix1501321110 + za + zd
	out[0] = clampRow(int32((t10 + d) >> shift2))
	out[1] = clampRow(int32((t11 + c) >> shift2))
	out[2] = clampRow(int32((t12 + b) >> shift2))
	out[3] = clampRow(int32((t13 + a) >> shift2))
	out[4] = clampRow(int32((t13 - a) >> shift2))
	out[5] = clampRow(int32((t12 - b) >> shift2))
	out[6] = clampRow(int32((t11 - c) >> shift2))
	out[7] = clampRow(int32((t10 - d) >> shift2))
}

// idctRow8 is the second pass for a full row.
func idctRow8(w []int32, out []byte) {
	w = w[:8]
	out = out[:8]
	x0, x1, x2, x3 := int(w[0]), int(w[1]), int(w[2]), int(w[3])
	x4, x5, x6, x7 := int(w[4]), int(w[5]), int(w[6]), int(w[7])
	z1 := (x2 + x6) * fix0541196100
	e2 := z1 - x6*fix1847759065
	e3 := z1 + x2*fix0765366865
	e0 := (x0+x4)<<constBits + round2
	e1 := (x0-x4)<<constBits + round2
	t10, t13 := e0+e3, e0-e3
	t11, t12 := e1+e2, e1-e2
	za, zb, zc, zd := x7+x1, x5+x3, x7+x3, x5+x1
	z5 := (zc + zd) * fix1175875602
	za *= -fix0899976223
	zb *= -fix2562915447
	zc = zc*-fix1961570560 + z5
	zd = zd*-fix0390180644 + z5
	a := x7*fix0298631336 + za + zc
	b := x5*fix2053119869 + zb + zd
	c := x3*fix3072711026 + zb + zc
	d := x1*fix1501321110 + za + zd
	out[0] = clampRow(int32((t10 + d) >> shift2))
	out[1] = clampRow(int32((t11 + c) >> shift2))
	out[2] = clampRow(int32((t12 + b) >> shift2))
	out[3] = clampRow(int32((t13 + a) >> shift2))
	out[4] = clampRow(int32((t13 - a) >> shift2))
	out[5] = clampRow(int32((t12 - b) >> shift2))
	out[6] = clampRow(int32((t11 - c) >> shift2))
	out[7] = clampRow(int32((t10 - d) >> shift2))
}

// idctPartial computes only the rows in rowMask (bit i = row i) of the block
// whose non-zero coefficients are in nz, storing row r at
// dst[rowOff[r]+col:][:8]. The column pass is needed in full (every output
// mixes all columns); the row pass runs for the wanted rows only.
// (Restricting the column pass to wanted rows as a sparse matrix product
// gives the same integers but measured slower.)
func idctPartial(blk *[64]int16, q *[64]int32, nz uint64, rowMask uint8, dst []byte, rowOff *[8]int, col int, ws *[64]int32) bool {
	colAny := maskCols(nz)
	if !idctColumns(blk, q, ws, colAny, maskCols(nz&^0xff), maskCols(nz>>32)) {
		return false
	}
	for rm := rowMask; rm != 0; rm &= rm - 1 {
		r := bits.TrailingZeros8(rm)
		o := rowOff[r&7] + col
		out := dst[o : o+8 : o+8]
		switch {
		case colAny == 1:
			v := uint64(clamp8((ws[r*8] + 16) >> 5))
			binary.LittleEndian.PutUint64(out, v*0x0101010101010101)
		case colAny&^15 == 0:
			idctRow4(ws[r*8:r*8+4:r*8+4], out)
		default:
			idctRow8(ws[r*8:r*8+8:r*8+8], out)
		}
	}
	return true
}
