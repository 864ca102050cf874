package jpeg

// libjpeg-turbo runs the islow inverse DCT with SIMD code (AVX2 or SSE2 on
// x86-64) whose lanes are 16 bits wide: dequantised coefficients, the sums
// x0±x4, x3+x7 and x1+x5, and the first pass's outputs are 16-bit values
// (wrapping or saturating), where its C code, and idctFull, use wider
// integers. Valid JPEG data never comes near those limits; damaged data
// can. So that pixels still equal djpeg's there, blocks that might overflow
// go through idctSIMD, which mirrors the 16-bit arithmetic.

// within16 reports whether no 16-bit limit can be reached for a block whose
// dequantised inputs have magnitudes at most m0+1 in row 0 and m+1 in the
// other rows: the first pass's outputs must stay below 2¹⁴ so that the
// second pass's sums of two also fit. An output of the pass is a column's
// eight inputs weighted by 4 for the input in row 0 and at most 25.9 for the
// other seven together (the largest absolute row sum of the pass's matrix,
// 61214, over 2¹¹, is 29.9). idctColumns gathers m0 and m as ORs of the
// magnitudes (cheaper than maxima, and an upper bound minus one); blocks
// near the limit then take the SIMD path, which gives the same result when
// nothing overflows. The row pass relies on the bound too (clampRow).
func within16(m0, m uint) bool {
	return 4*(m0+1)+26*(m+1) < 1<<14
}

func wrap16(v int) int { return int(int16(v)) }

func sat16(v int) int { return min(max(v, -32768), 32767) }

// simd1D is one pass of the SIMD kernel on 16-bit inputs: the same
// factorisation, with the products of each pair of inputs that the kernel
// multiplies together (pmaddwd) distributed, and the 16-bit sums wrapped.
func simd1D(x0, x1, x2, x3, x4, x5, x6, x7 int) (o0, o1, o2, o3, o4, o5, o6, o7 int) {
	tmp3 := x2*(fix0541196100+fix0765366865) + x6*fix0541196100
	tmp2 := x2*fix0541196100 + x6*(fix0541196100-fix1847759065)
	s := wrap16(x0+x4) << constBits
	d := wrap16(x0-x4) << constBits
	t10, t13 := s+tmp3, s-tmp3
	t11, t12 := d+tmp2, d-tmp2
	z3, z4 := wrap16(x3+x7), wrap16(x1+x5)
	z3p := z3*(fix1175875602-fix1961570560) + z4*fix1175875602
	z4p := z3*fix1175875602 + z4*(fix1175875602-fix0390180644)
	a := x7*(fix0298631336-fix0899976223) - x1*fix0899976223 + z3p
	dd := -x7*fix0899976223 + x1*(fix1501321110-fix0899976223) + z4p
	b := x5*(fix2053119869-fix2562915447) - x3*fix2562915447 + z4p
	c := -x5*fix2562915447 + x3*(fix3072711026-fix2562915447) + z3p
	return t10 + dd, t11 + c, t12 + b, t13 + a, t13 - a, t12 - b, t11 - c, t10 - dd
}

// idctSIMD transforms one block with the SIMD kernel's arithmetic.
func idctSIMD(blk *[64]int16, q *[64]int32, out *[64]byte) {
	var x, ws [64]int
	acZero := true
	for i := range x {
		x[i] = wrap16(int(uint16(blk[i]) * uint16(q[i])))
		acZero = acZero && (i < 8 || blk[i] == 0)
	}
	if acZero {
		// The kernel's shortcut: a 16-bit shift, which wraps.
		for i := range ws {
			ws[i] = wrap16(x[i&7] << pass1Bits)
		}
	} else {
		for c := 0; c < 8; c++ {
			o := [8]int{}
			o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = simd1D(x[c], x[8+c], x[16+c], x[24+c], x[32+c], x[40+c], x[48+c], x[56+c])
			for r, v := range o {
				ws[r*8+c] = sat16((v + round1) >> shift1)
			}
		}
	}
	for r := 0; r < 8; r++ {
		w := ws[r*8 : r*8+8]
		o := [8]int{}
		o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = simd1D(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7])
		for c, v := range o {
			out[r*8+c] = clamp8(int32(sat16((v + round2) >> shift2)))
		}
	}
}
