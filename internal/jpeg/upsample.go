package jpeg

import "fmt"

// Upsampling follows libjpeg-turbo's choices (jdsample.c, with its default
// do_fancy_upsampling): for a component subsampled 2:1 horizontally, 2:1
// vertically, or both, each output sample is a triangle-filtered blend of
// the nearest input sample (weight 3/4) and the next nearest (1/4) in each
// subsampled direction, with fixed rounding biases; edges repeat the edge
// sample. Other integer ratios, and 2:1 horizontal ratios on components at
// most 2 samples wide, replicate samples. Non-integer ratios are an error,
// as in libjpeg.

type upKind int

const (
	upFull upKind = iota // same size as the image grid
	upH2V1               // fancy, 2:1 horizontally
	upH1V2               // fancy, 2:1 vertically
	upH2V2               // fancy, 2:1 both ways
	upInt                // replication by hx × vy
)

type upsampler struct {
	kind   upKind
	hx, vy int
}

func (d *decoder) chooseUpsampler(c *component) (upsampler, error) {
	if d.hmax%c.h != 0 || d.vmax%c.v != 0 {
		return upsampler{}, fmt.Errorf("%w: fractional sampling %dx%d in %dx%d", ErrUnsupported, c.h, c.v, d.hmax, d.vmax)
	}
	hx, vy := d.hmax/c.h, d.vmax/c.v
	switch {
	case hx == 1 && vy == 1:
		return upsampler{kind: upFull, hx: 1, vy: 1}, nil
	case hx == 2 && vy == 1 && c.dw > 2:
		return upsampler{kind: upH2V1, hx: 2, vy: 1}, nil
	case hx == 1 && vy == 2:
		return upsampler{kind: upH1V2, hx: 1, vy: 2}, nil
	case hx == 2 && vy == 2 && c.dw > 2:
		return upsampler{kind: upH2V2, hx: 2, vy: 2}, nil
	}
	return upsampler{kind: upInt, hx: hx, vy: vy}, nil
}

// neighbour returns the next nearest input index for output index o of a
// 2:1 upsampling, clamped to 0..n-1: the one before for even o, after for odd.
func neighbour(o, n int) int {
	i := o >> 1
	if o&1 == 0 {
		if i > 0 {
			return i - 1
		}
		return 0
	}
	if i+1 < n {
		return i + 1
	}
	return n - 1
}

// rowsFor lists the plane rows (1 or 2) that image row y reads.
func (c *component) rowsFor(y int) (int, int) {
	switch c.up.kind {
	case upH1V2, upH2V2:
		return y >> 1, neighbour(y, c.dh)
	case upInt:
		return y / c.up.vy, y / c.up.vy
	}
	return y, y
}

// colsFor lists the plane columns (1 or 2) that image column x reads.
func (c *component) colsFor(x int) (int, int) {
	switch c.up.kind {
	case upH2V1, upH2V2:
		return x >> 1, neighbour(x, c.dw)
	case upInt:
		return x / c.up.hx, x / c.up.hx
	}
	return x, x
}

// upRow returns image row y of the component at full resolution (at least
// width samples), using buf when it must compute them.
func (c *component) upRow(y, width int, buf []byte) []byte {
	p := &c.plane
	switch c.up.kind {
	case upFull:
		return p.pix[y*p.stride : y*p.stride+width]
	case upH2V1:
		h2v1Row(buf, p.pix[y*p.stride:y*p.stride+c.dw])
	case upH1V2:
		a, b := c.rowsFor(y)
		bias := int32(1 + y&1)
		ra, rb := p.pix[a*p.stride:a*p.stride+c.dw], p.pix[b*p.stride:b*p.stride+c.dw]
		out := buf[:c.dw]
		for i := range out {
			out[i] = byte((3*int32(ra[i]) + int32(rb[i]) + bias) >> 2)
		}
	case upH2V2:
		a, b := c.rowsFor(y)
		h2v2Row(buf, p.pix[a*p.stride:a*p.stride+c.dw], p.pix[b*p.stride:b*p.stride+c.dw])
	case upInt:
		src := p.pix[(y/c.up.vy)*p.stride:]
		hx := c.up.hx
		out := buf[:width]
		for x := range out {
			out[x] = src[x/hx]
		}
	}
	return buf[:width]
}

// h2v1Row doubles in horizontally with the fancy filter: output 2j is
// (3·in[j] + in[j−1] + 1)/4 and 2j+1 is (3·in[j] + in[j+1] + 2)/4, truncated.
func h2v1Row(out, in []byte) {
	n := len(in)
	out = out[:2*n]
	for j := 0; j < n; j++ {
		cur := 3 * int32(in[j])
		prev, next := int32(in[max(j-1, 0)]), int32(in[min(j+1, n-1)])
		out[2*j] = byte((cur + prev + 1) >> 2)
		out[2*j+1] = byte((cur + next + 2) >> 2)
	}
}

// h2v2Row produces one output row from the nearest input row a and the next
// nearest row b: column sums s = 3a + b, then (3·s[j] + s[j∓1] + 8 or 7)/16.
func h2v2Row(out, a, b []byte) {
	n := len(a)
	b = b[:n]
	out = out[:2*n]
	cur := 3*int32(a[0]) + int32(b[0])
	prev := cur
	j := 1
	// Four inputs a step, so that the loop's bookkeeping is shared.
	for ; j+4 <= n; j += 4 {
		aa, bb, o := a[j:j+4:j+4], b[j:j+4:j+4], out[2*j-2:2*j+6:2*j+6]
		n0 := 3*int32(aa[0]) + int32(bb[0])
		n1 := 3*int32(aa[1]) + int32(bb[1])
		n2 := 3*int32(aa[2]) + int32(bb[2])
		n3 := 3*int32(aa[3]) + int32(bb[3])
		o[0] = byte((3*cur + prev + 8) >> 4)
		o[1] = byte((3*cur + n0 + 7) >> 4)
		o[2] = byte((3*n0 + cur + 8) >> 4)
		o[3] = byte((3*n0 + n1 + 7) >> 4)
		o[4] = byte((3*n1 + n0 + 8) >> 4)
		o[5] = byte((3*n1 + n2 + 7) >> 4)
		o[6] = byte((3*n2 + n1 + 8) >> 4)
		o[7] = byte((3*n2 + n3 + 7) >> 4)
		prev, cur = n2, n3
	}
	for ; j < n; j++ {
		next := 3*int32(a[j]) + int32(b[j])
		o := out[2*j-2 : 2*j : 2*j]
		o[0] = byte((3*cur + prev + 8) >> 4)
		o[1] = byte((3*cur + next + 7) >> 4)
		prev, cur = cur, next
	}
	out[2*n-2] = byte((3*cur + prev + 8) >> 4)
	out[2*n-1] = byte((4*cur + 7) >> 4)
}

// sampler computes upsampled values of one component at the positions a
// nearest-neighbour resize picks, from the packed plane of sampled mode.
type sampler struct {
	c *component
	// Per output column: packed plane columns of the nearest (a) and next
	// nearest (b) input samples, and the rounding bias.
	a, b []int32
	bias []int32
}

func newSampler(c *component, s *sampling) *sampler {
	sm := &sampler{c: c, a: make([]int32, s.w)}
	p := &c.plane
	if c.up.kind == upH2V1 || c.up.kind == upH2V2 {
		sm.b = make([]int32, s.w)
		sm.bias = make([]int32, s.w)
	}
	for x, sx := range s.xs {
		j, nj := c.colsFor(sx)
		sm.a[x] = p.colOf[j]
		switch c.up.kind {
		case upH2V1:
			sm.b[x] = p.colOf[nj]
			sm.bias[x] = 1 + int32(sx&1)
		case upH2V2:
			sm.b[x] = p.colOf[nj]
			sm.bias[x] = 8 - int32(sx&1)
		}
	}
	return sm
}

// row fills out with the component's values on image row sy at the sampled
// columns.
func (sm *sampler) row(sy int, out []byte) []byte {
	c := sm.c
	p := &c.plane
	i, ni := c.rowsFor(sy)
	ra := p.pix[int(p.rowOf[i])*p.stride:][:p.stride]
	rb := p.pix[int(p.rowOf[ni])*p.stride:][:p.stride]
	a := sm.a[:len(out)]
	switch c.up.kind {
	case upH2V1:
		b, bias := sm.b[:len(out)], sm.bias[:len(out)]
		for x := range out {
			out[x] = byte((3*int32(ra[a[x]]) + int32(ra[b[x]]) + bias[x]) >> 2)
		}
	case upH1V2:
		bias := 1 + int32(sy&1)
		for x := range out {
			out[x] = byte((3*int32(ra[a[x]]) + int32(rb[a[x]]) + bias) >> 2)
		}
	case upH2V2:
		b, bias := sm.b[:len(out)], sm.bias[:len(out)]
		for x := range out {
			s := 3*int32(ra[a[x]]) + int32(rb[a[x]])
			t := 3*int32(ra[b[x]]) + int32(rb[b[x]])
			out[x] = byte((3*s + t + bias[x]) >> 4)
		}
	default: // upFull, upInt
		for x := range out {
			out[x] = ra[a[x]]
		}
	}
	return out
}

// Sampled YCbCr layouts that have a fused row routine.
const (
	notFused = iota
	fused420 // luminance at full resolution, chroma 2:1 both ways
	fused444 // all three at full resolution
)

// sampledYCbCrLayout says whether the sampled YCbCr rows can be made by
// sampledYCbCrRow (fused420) or sampled444Row (fused444): the components
// that are upsampled alike must have the same plane layout, which equal
// sampling factors give.
func sampledYCbCrLayout(sm []*sampler) int {
	y, cb, cr := sm[0].c, sm[1].c, sm[2].c
	if y.up.kind != upFull || cb.up.kind != cr.up.kind ||
		cb.h != cr.h || cb.v != cr.v || cb.dw != cr.dw || cb.dh != cr.dh {
		return notFused
	}
	switch {
	case cb.up.kind == upH2V2:
		return fused420
	case cb.up.kind == upFull && cb.h == y.h && cb.v == y.v && cb.dw == y.dw && cb.dh == y.dh:
		return fused444
	}
	return notFused
}

// sampled444Row writes one RGBA row of the sampled image when all three
// components are at full resolution with one layout: the samples are read
// from the planes during colour conversion.
func sampled444Row(dst []byte, sy *sampler, cb, cr *component, row, w int) {
	p := &sy.c.plane
	o := int(p.rowOf[row]) * p.stride
	yr := p.pix[o:][:p.stride]
	cbr := cb.plane.pix[o:][:p.stride]
	crr := cr.plane.pix[o:][:p.stride]
	ycbcr3GatherToRGBA(&ctab, dst, yr, cbr, crr, sy.a[:w])
}

// sampledYCbCrRow writes one RGBA row of the sampled image: both chroma
// components are upsampled in one loop that shares their column indices,
// and luminance is read from its plane during colour conversion, with the
// same arithmetic as sampler.row and ycbcrToRGBA.
func sampledYCbCrRow(dst []byte, sy, scb, scr *sampler, row int, cb, cr []byte) {
	scb.rowPair(scr.c, row, cb, cr)
	yc := sy.c
	i, _ := yc.rowsFor(row)
	p := &yc.plane
	yr := p.pix[int(p.rowOf[i])*p.stride:][:p.stride]
	ycbcrGatherToRGBA(&ctab, dst, yr, sy.a[:len(cb)], cb, cr)
}

// rowPair is row for upH2V2 on two components with the same plane layout:
// sm's component into out and c2 into out2.
func (sm *sampler) rowPair(c2 *component, sy int, out, out2 []byte) {
	c := sm.c
	p, p2 := &c.plane, &c2.plane
	i, ni := c.rowsFor(sy)
	oa, ob := int(p.rowOf[i])*p.stride, int(p.rowOf[ni])*p.stride
	ra, rb := p.pix[oa:][:p.stride], p.pix[ob:][:p.stride]
	ra2, rb2 := p2.pix[oa:][:p.stride], p2.pix[ob:][:p.stride]
	a, b, bias := sm.a[:len(out)], sm.b[:len(out)], sm.bias[:len(out)]
	out2 = out2[:len(out)]
	for x := range out {
		ax, bx, bs := a[x], b[x], bias[x]
		s := 3*int32(ra[ax]) + int32(rb[ax])
		t := 3*int32(ra[bx]) + int32(rb[bx])
		out[x] = byte((3*s + t + bs) >> 4)
		s = 3*int32(ra2[ax]) + int32(rb2[ax])
		t = 3*int32(ra2[bx]) + int32(rb2[bx])
		out2[x] = byte((3*s + t + bs) >> 4)
	}
}
