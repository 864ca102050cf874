package pdq

// The Jarosz filter: repeated box filters approximate a tent (two passes) so
// that decimation to 64×64 does not alias. Each output is the mean of the
// window that fits inside the vector, so the edges use smaller windows. The
// running sums are float32 and are updated in exactly the reference's order
// (add the entering sample, then subtract the leaving one), because the
// rounding of these sums decides bits.

// boxPhases splits a vector of length n into the reference's four phases for
// a window of width win: accumulate, grow while writing, slide, shrink.
func boxPhases(n, win int) (p1, p2, p3, p4 int) {
	half := (win + 2) / 2
	return half - 1, win - half + 1, n - win, half - 1
}

// boxRows filters each row of in (rows×cols, row-major) into out.
func boxRows(in, out []float32, rows, cols, win int) {
	p1, p2, p3, p4 := boxPhases(cols, win)
	for r := 0; r < rows; r++ {
		src := in[r*cols : (r+1)*cols]
		dst := out[r*cols : (r+1)*cols]
		var sum float32
		n, li, ri, oi := 0, 0, 0, 0
		for range p1 {
			sum += src[ri]
			n++
			ri++
		}
		for range p2 {
			sum += src[ri]
			n++
			dst[oi] = sum / float32(n)
			ri++
			oi++
		}
		for range p3 {
			sum += src[ri]
			sum -= src[li]
			dst[oi] = sum / float32(n)
			li++
			ri++
			oi++
		}
		for range p4 {
			sum -= src[li]
			n--
			dst[oi] = sum / float32(n)
			li++
			oi++
		}
	}
}

// boxCols filters each column of in into out. It sweeps whole rows at a time
// with one running sum per column, which gives each column the same sequence
// of float operations as the reference's strided walk, but reads memory in
// order.
func boxCols(in, out []float32, rows, cols, win int, sums []float32) {
	p1, p2, p3, p4 := boxPhases(rows, win)
	clear(sums)
	row := func(i int) []float32 { return in[i*cols : (i+1)*cols] }
	n, li, ri, oi := 0, 0, 0, 0
	for range p1 {
		for j, v := range row(ri) {
			sums[j] += v
		}
		n++
		ri++
	}
	for range p2 {
		n++
		dst := out[oi*cols : (oi+1)*cols]
		for j, v := range row(ri) {
			sums[j] += v
			dst[j] = sums[j] / float32(n)
		}
		ri++
		oi++
	}
	for range p3 {
		dst := out[oi*cols : (oi+1)*cols]
		add, sub := row(ri), row(li)
		for j := range sums {
			s := sums[j] + add[j]
			s -= sub[j]
			sums[j] = s
			dst[j] = s / float32(n)
		}
		li++
		ri++
		oi++
	}
	for range p4 {
		n--
		dst := out[oi*cols : (oi+1)*cols]
		for j, v := range row(li) {
			sums[j] -= v
			dst[j] = sums[j] / float32(n)
		}
		li++
		oi++
	}
}
