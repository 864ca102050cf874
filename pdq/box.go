package pdq

// The Jarosz filter: repeated box filters approximate a tent (two passes) so
// that decimation to 64×64 does not alias. Each output is the mean of the
// window that fits inside the vector, so the edges use smaller windows. The
// running sums are float32 and are updated in exactly the reference's order
// (add the entering sample, then subtract the leaving one), because the
// rounding of these sums decides bits.
//
// The arithmetic per vector is the reference's; the schedule is ours. Rows
// are filtered four at a time so that the CPU overlaps four independent
// chains of additions, columns are filtered by sweeping whole rows with one
// running sum per column, and the last pass computes only the outputs that
// decimation reads.

// boxPhases splits a vector of length n into the reference's four phases for
// a window of width win: accumulate, grow while writing, slide, shrink.
func boxPhases(n, win int) (p1, p2, p3, p4 int) {
	half := (win + 2) / 2
	return half - 1, win - half + 1, n - win, half - 1
}

// boxRows filters each row of in (rows×cols, row-major) into out. If want is
// not nil, only the outputs at columns where want is true are written.
func boxRows(in, out []float32, rows, cols, win int, want []bool) {
	r := 0
	for ; r+4 <= rows; r += 4 {
		boxRows4(in[r*cols:(r+4)*cols], out[r*cols:(r+4)*cols], cols, win, want)
	}
	for ; r < rows; r++ {
		box1D(in[r*cols:(r+1)*cols], out[r*cols:(r+1)*cols], win, want)
	}
}

// box1D filters one vector; see boxRows for want.
func box1D(src, dst []float32, win int, want []bool) {
	p1, p2, p3, p4 := boxPhases(len(src), win)
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
		if want == nil || want[oi] {
			dst[oi] = sum / float32(n)
		}
		ri++
		oi++
	}
	for range p3 {
		sum += src[ri]
		sum -= src[li]
		if want == nil || want[oi] {
			dst[oi] = sum / float32(n)
		}
		li++
		ri++
		oi++
	}
	for range p4 {
		sum -= src[li]
		n--
		if want == nil || want[oi] {
			dst[oi] = sum / float32(n)
		}
		li++
		oi++
	}
}

// boxRows4 is box1D on four consecutive rows at once.
func boxRows4(in, out []float32, cols, win int, want []bool) {
	a, b, c, d := in[:cols], in[cols:2*cols], in[2*cols:3*cols], in[3*cols:4*cols]
	oa, ob, oc, od := out[:cols], out[cols:2*cols], out[2*cols:3*cols], out[3*cols:4*cols]
	p1, p2, p3, p4 := boxPhases(cols, win)
	var sa, sb, sc, sd float32
	n, li, ri, oi := 0, 0, 0, 0
	put := func() {
		if want == nil || want[oi] {
			f := float32(n)
			oa[oi], ob[oi], oc[oi], od[oi] = sa/f, sb/f, sc/f, sd/f
		}
	}
	for range p1 {
		sa, sb, sc, sd = sa+a[ri], sb+b[ri], sc+c[ri], sd+d[ri]
		n++
		ri++
	}
	for range p2 {
		sa, sb, sc, sd = sa+a[ri], sb+b[ri], sc+c[ri], sd+d[ri]
		n++
		put()
		ri++
		oi++
	}
	// The sliding phase, the bulk of the work, is written so that the
	// compiler can drop bounds checks: li runs from 0 and ri from win, and
	// n == win throughout.
	sa, sb, sc, sd = slide4(a, b, c, d, oa, ob, oc, od, win, p2, p3, sa, sb, sc, sd, want)
	li, ri, oi = li+p3, ri+p3, oi+p3
	for range p4 {
		sa, sb, sc, sd = sa-a[li], sb-b[li], sc-c[li], sd-d[li]
		n--
		put()
		li++
		oi++
	}
}

// slide4 runs the sliding phase of boxRows4: count steps that add x[win+i]
// and then subtract x[i] from each row's running sum, writing the outputs
// from index first on (where want allows).
func slide4(a, b, c, d, oa, ob, oc, od []float32, win, first, count int, sa, sb, sc, sd float32, want []bool) (float32, float32, float32, float32) {
	f := float32(win)
	aL, bL, cL, dL := a[:count], b[:count], c[:count], d[:count]
	aR, bR, cR, dR := a[win:win+count], b[win:win+count], c[win:win+count], d[win:win+count]
	aR, bR, cR, dR = aR[:len(aL)], bR[:len(aL)], cR[:len(aL)], dR[:len(aL)]
	bL, cL, dL = bL[:len(aL)], cL[:len(aL)], dL[:len(aL)]
	oa, ob, oc, od = oa[first:first+count], ob[first:first+count], oc[first:first+count], od[first:first+count]
	oa, ob, oc, od = oa[:len(aL)], ob[:len(aL)], oc[:len(aL)], od[:len(aL)]
	if want == nil {
		for i := range aL {
			sa, sb, sc, sd = sa+aR[i], sb+bR[i], sc+cR[i], sd+dR[i]
			sa, sb, sc, sd = sa-aL[i], sb-bL[i], sc-cL[i], sd-dL[i]
			oa[i], ob[i], oc[i], od[i] = sa/f, sb/f, sc/f, sd/f
		}
		return sa, sb, sc, sd
	}
	want = want[first : first+count]
	want = want[:len(aL)]
	for i := range aL {
		sa, sb, sc, sd = sa+aR[i], sb+bR[i], sc+cR[i], sd+dR[i]
		sa, sb, sc, sd = sa-aL[i], sb-bL[i], sc-cL[i], sd-dL[i]
		if want[i] {
			oa[i], ob[i], oc[i], od[i] = sa/f, sb/f, sc/f, sd/f
		}
	}
	return sa, sb, sc, sd
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
	f := float32(n)
	for range p3 {
		dst := out[oi*cols : (oi+1)*cols]
		add, sub := row(ri), row(li)
		add, sub, dst = add[:len(sums)], sub[:len(sums)], dst[:len(sums)]
		for j := range sums {
			s := sums[j] + add[j]
			s -= sub[j]
			sums[j] = s
			dst[j] = s / f
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

// boxColsDecimate is the last column pass fused with decimation: it filters
// only the columns that decimation samples, sweeping rows as boxCols does
// (each column gets box1D's sequence of float operations), and divides only
// at the rows that decimation keeps.
func boxColsDecimate(in []float32, rows, cols, win int, ri, ci *[downDim]int, sums []float32, out *[downDim * downDim]float32) {
	p1, p2, p3, p4 := boxPhases(rows, win)
	s := (*[downDim]float32)(sums[:downDim])
	clear(s[:])
	k := 0 // next output row of out
	emit := func(oi, n int) {
		f := float32(n)
		for ; k < downDim && ri[k] == oi; k++ {
			o := (*[downDim]float32)(out[k*downDim:])
			for j := range o {
				o[j] = s[j] / f
			}
		}
	}
	add := func(r int) {
		row := in[r*cols : (r+1)*cols]
		for j, c := range ci {
			s[j] += row[c]
		}
	}
	sub := func(r int) {
		row := in[r*cols : (r+1)*cols]
		for j, c := range ci {
			s[j] -= row[c]
		}
	}
	n, li, ri0, oi := 0, 0, 0, 0
	for range p1 {
		add(ri0)
		n++
		ri0++
	}
	for range p2 {
		add(ri0)
		n++
		emit(oi, n)
		ri0++
		oi++
	}
	for range p3 {
		add(ri0)
		sub(li)
		emit(oi, n)
		li++
		ri0++
		oi++
	}
	for range p4 {
		sub(li)
		n--
		emit(oi, n)
		li++
		oi++
	}
}
