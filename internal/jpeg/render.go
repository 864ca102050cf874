package jpeg

import (
	"image"
)

// plane holds a component's samples after the inverse DCT. In full mode it
// covers every block holding real samples. In sampled mode it holds only
// the rows and columns the nearest-neighbour resize reads, packed.
type plane struct {
	pix            []byte
	stride         int
	bwUsed, bhUsed int // blocks with real samples

	// In sampled mode, rows are packed: only those read are kept. Columns
	// are kept by whole blocks (every block column with a column that is
	// read), so that a block's row is written with one 8-byte store.
	sampled      bool
	rowOf, colOf []int32  // plane row/column → packed index, -1 if unused
	rowMask      []uint8  // per block row: rows wanted (bit i = row i)
	colMask      []uint8  // per block column: columns wanted
	rowOff       [][8]int // per block row: offsets in pix of its rows
	colBase      []int    // per wanted block column: offset of its first column
}

// sampling describes the nearest-neighbour resize of DecodeNearest.
type sampling struct {
	w, h   int
	xs, ys []int // source column/row of each output column/row
}

func newSampling(W, H, w, h int) *sampling {
	s := &sampling{w: w, h: h, xs: make([]int, w), ys: make([]int, h)}
	for x := range s.xs {
		s.xs[x] = int(int64(x) * int64(W) / int64(w))
	}
	for y := range s.ys {
		s.ys[y] = int(int64(y) * int64(H) / int64(h))
	}
	return s
}

func (d *decoder) newPlane(c *component) plane {
	p := plane{bwUsed: ceilDiv(c.dw, 8), bhUsed: ceilDiv(c.dh, 8)}
	if d.sample == nil {
		p.stride = p.bwUsed * 8
		p.pix = make([]byte, p.stride*p.bhUsed*8)
		return p
	}
	p.sampled = true
	var nr, nc int
	p.rowOf, p.rowMask, nr = wanted(c.bh, c.dh, d.sample.ys, c.rowsFor)
	p.colOf, p.colMask, _ = wanted(c.bw, c.dw, d.sample.xs, c.colsFor)
	p.colBase = make([]int, c.bw)
	for bx, m := range p.colMask {
		if m == 0 {
			continue
		}
		p.colBase[bx] = nc
		for i := 0; i < 8; i++ {
			p.colOf[bx*8+i] = int32(nc + i)
		}
		nc += 8
	}
	p.stride = nc
	p.pix = make([]byte, nr*nc)
	p.rowOff = make([][8]int, c.bh)
	for by := range p.rowOff {
		for r := 0; r < 8; r++ {
			p.rowOff[by][r] = int(p.rowOf[by*8+r]) * nc
		}
	}
	return p
}

// wanted marks the plane lines (rows or columns) that the sampled image
// coordinates read and numbers them.
func wanted(blocks, n int, coords []int, lines func(int) (int, int)) ([]int32, []uint8, int) {
	of := make([]int32, blocks*8)
	for i := range of {
		of[i] = -1
	}
	mask := make([]uint8, blocks)
	for _, v := range coords {
		a, b := lines(v)
		of[a], of[b] = 0, 0
	}
	k := int32(0)
	for i := 0; i < n; i++ {
		if of[i] == 0 {
			of[i] = k
			k++
			mask[i>>3] |= 1 << (i & 7)
		}
	}
	return of, mask, int(k)
}

// renderBlock runs the inverse DCT of one block, whose non-zero
// coefficients are within nz, into the component plane.
func (d *decoder) renderBlock(c *component, bx, by int, blk *[64]int16, nz uint64) {
	p := &c.plane
	if bx >= p.bwUsed || by >= p.bhUsed {
		return
	}
	if !p.sampled {
		if !idctFull(blk, &c.quant, nz, p.pix[by*8*p.stride+bx*8:], p.stride, &d.ws) {
			d.renderBlockSIMD(c, bx, by, blk)
		}
		return
	}
	rm, cm := p.rowMask[by], p.colMask[bx]
	if rm == 0 || cm == 0 {
		return
	}
	rowOff, col := &p.rowOff[by], p.colBase[bx]
	if rm == 0xff {
		// All 8 rows are wanted, so they are adjacent.
		if !idctFull(blk, &c.quant, nz, p.pix[rowOff[0]+col:], p.stride, &d.ws) {
			d.renderBlockSIMD(c, bx, by, blk)
		}
		return
	}
	if !idctPartial(blk, &c.quant, nz, rm, p.pix, rowOff, col, &d.ws) {
		d.renderBlockSIMD(c, bx, by, blk)
	}
}

// renderBlockSIMD renders a block that might overflow libjpeg-turbo's
// 16-bit SIMD arithmetic, mirroring it.
func (d *decoder) renderBlockSIMD(c *component, bx, by int, blk *[64]int16) {
	var out [64]byte
	idctSIMD(blk, &c.quant, &out)
	p := &c.plane
	for r := 0; r < 8; r++ {
		for col := 0; col < 8; col++ {
			if !p.sampled {
				p.pix[(by*8+r)*p.stride+bx*8+col] = out[r*8+col]
			} else if p.rowMask[by]&(1<<r) != 0 && p.colMask[bx] != 0 {
				p.pix[p.rowOff[by][r]+p.colBase[bx]+col] = out[r*8+col]
			}
		}
	}
}

// render finishes the decode: inverse DCT of buffered coefficients, then
// upsampling and colour conversion, of every pixel or of the sampled ones.
func (d *decoder) render(s *sampling) (image.Image, error) {
	if d.multiScan {
		for i := 0; i < d.ncomp; i++ {
			c := &d.comp[i]
			for by := 0; by < c.plane.bhUsed; by++ {
				for bx := 0; bx < c.plane.bwUsed; bx++ {
					d.renderBlock(c, bx, by, d.block(c, bx, by), zigzagToNatural(*d.nzMask(c, bx, by)))
				}
			}
		}
	}
	w, h := d.width, d.height
	if s != nil {
		w, h = s.w, s.h
	}
	cs := d.colorSpace()
	var bufs [4][]byte
	var rows [4][]byte
	for i := 0; i < d.ncomp; i++ {
		bufs[i] = make([]byte, max(w, d.mcusX*8*d.hmax))
	}
	var samplers [4]*sampler
	if s != nil {
		for i := 0; i < d.ncomp; i++ {
			samplers[i] = newSampler(&d.comp[i], s)
		}
	}
	row := func(i, y int) []byte {
		if s == nil {
			return d.comp[i].upRow(y, w, bufs[i])
		}
		return samplers[i].row(s.ys[y], bufs[i][:w])
	}
	if cs == csGray {
		img := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			copy(img.Pix[y*img.Stride:y*img.Stride+w], row(0, y))
		}
		return img, nil
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	if s != nil && cs == csYCbCr {
		switch sampledYCbCrLayout(samplers[:3]) {
		case fused420:
			for y := 0; y < h; y++ {
				sampledYCbCrRow(img.Pix[y*img.Stride:], samplers[0], samplers[1], samplers[2], s.ys[y], bufs[1][:w], bufs[2][:w])
			}
			return img, nil
		case fused444:
			for y := 0; y < h; y++ {
				sampled444Row(img.Pix[y*img.Stride:], samplers[0], samplers[1].c, samplers[2].c, s.ys[y], w)
			}
			return img, nil
		}
	}
	for y := 0; y < h; y++ {
		for i := 0; i < d.ncomp; i++ {
			rows[i] = row(i, y)
		}
		dst := img.Pix[y*img.Stride:]
		switch cs {
		case csYCbCr:
			ycbcrToRGBA(dst, rows[0], rows[1], rows[2], w)
		case csRGB:
			rgbToRGBA(dst, rows[0], rows[1], rows[2], w)
		case csCMYK:
			cmykToRGBA(dst, rows[0], rows[1], rows[2], rows[3], w)
		case csYCCK:
			ycckToRGBA(dst, rows[0], rows[1], rows[2], rows[3], w)
		}
	}
	return img, nil
}
