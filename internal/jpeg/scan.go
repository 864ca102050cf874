package jpeg

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// decodeScan decodes the entropy-coded data of one scan, starting at d.pos.
func (d *decoder) decodeScan(sc *scanHeader) error {
	d.br.reset(d.data, d.pos)
	for _, c := range sc.comps[:sc.n] {
		c.pred = 0
		c.scanned = true
	}
	d.eobrun = 0
	mw, mh := d.mcusX, d.mcusY
	if sc.n == 1 {
		c := sc.comps[0]
		mw, mh = ceilDiv(c.dw, 8), ceilDiv(c.dh, 8)
	}
	decodeMCU := d.mcuDecoder(sc)
	left, nextRST := d.restartInterval, 0
	for my := 0; my < mh; my++ {
		for mx := 0; mx < mw; mx++ {
			if d.restartInterval > 0 {
				if left == 0 {
					if err := d.readRestart(nextRST); err != nil {
						return err
					}
					nextRST = (nextRST + 1) & 7
					left = d.restartInterval
					for _, c := range sc.comps[:sc.n] {
						c.pred = 0
					}
					d.eobrun = 0
				}
				left--
			}
			if err := decodeMCU(sc, mx, my); err != nil {
				return fmt.Errorf("scan at MCU (%d,%d): %w", mx, my, err)
			}
		}
		if d.br.overrun() {
			return fmt.Errorf("%w: scan data ends at MCU row %d of %d", ErrTruncated, my, mh)
		}
	}
	d.pos = d.br.pos
	if d.progressive {
		for _, c := range sc.comps[:sc.n] {
			for k := sc.ss; k <= sc.se; k++ {
				c.coefBits[k] = int8(sc.al)
			}
		}
	}
	return nil
}

// readRestart discards the bits before a restart marker and reads the
// marker, which must be RSTn.
func (d *decoder) readRestart(n int) error {
	p := d.br.restart()
	d.pos = p
	m := d.nextMarker()
	if m != mRST0+n {
		if m == 0 {
			return fmt.Errorf("%w: missing restart marker", ErrTruncated)
		}
		return fmt.Errorf("%w: found marker %#x, expected RST%d", ErrFormat, m, n)
	}
	d.br.reset(d.data, d.pos)
	return nil
}

type mcuFunc func(sc *scanHeader, mx, my int) error

// mcuDecoder picks the MCU decoding routine for a scan.
func (d *decoder) mcuDecoder(sc *scanHeader) mcuFunc {
	switch {
	case !d.progressive:
		return d.decodeMCUSequential
	case sc.ss == 0 && sc.ah == 0:
		return d.decodeMCUDCFirst
	case sc.ss == 0:
		return d.decodeMCUDCRefine
	case sc.ah == 0:
		return d.decodeMCUACFirst
	default:
		return d.decodeMCUACRefine
	}
}

// forBlocks calls f for each block of the MCU at (mx, my) in scan order.
func forBlocks(sc *scanHeader, mx, my int, f func(c *component, bx, by int) error) error {
	if sc.n == 1 {
		return f(sc.comps[0], mx, my)
	}
	for _, c := range sc.comps[:sc.n] {
		for v := 0; v < c.v; v++ {
			for h := 0; h < c.h; h++ {
				if err := f(c, mx*c.h+h, my*c.v+v); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (d *decoder) decodeMCUSequential(sc *scanHeader, mx, my int) error {
	if sc.n == 1 {
		return d.sequentialBlock(sc.comps[0], mx, my)
	}
	for _, c := range sc.comps[:sc.n] {
		for v := 0; v < c.v; v++ {
			for h := 0; h < c.h; h++ {
				if err := d.sequentialBlock(c, mx*c.h+h, my*c.v+v); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// sequentialBlock decodes one block of a sequential scan and either renders
// it (single scan) or stores it.
func (d *decoder) sequentialBlock(c *component, bx, by int) error {
	if d.multiScan {
		blk := d.block(c, bx, by)
		*blk = [64]int16{}
		_, err := d.decodeBlock(c, blk)
		*d.nzMask(c, bx, by) = ^uint64(0) >> (64 - min(d.lastK, 64))
		return err
	}
	blk := &d.blk
	nz, err := d.decodeBlock(c, blk)
	if err != nil {
		return err
	}
	d.renderBlock(c, bx, by, blk, nz)
	*blk = [64]int16{}
	return nil
}

// decodeBlock decodes one sequential block (F.2.2.1, F.2.2.2) into blk,
// which must be zero, in natural order. It returns a mask of the positions
// written. The bit reader's state lives in locals, and the inner loop makes
// no calls, so that the compiler keeps it in registers: refills of 4 bytes
// without 0xFF are done in line, anything else falls back to fill.
func (d *decoder) decodeBlock(c *component, blk *[64]int16) (uint64, error) {
	br := &d.br
	if br.n < 32 {
		br.fill()
	}
	acc, n := br.acc, br.n
	var s int
	if e := c.dcTab.lut[acc>>(64-lutBits)]; e != 0 {
		l := int(e>>8) & 63
		acc <<= l
		n -= l
		s = int(e & 0xff)
	} else {
		br.acc, br.n = acc, n
		sym, err := br.decodeSlow(c.dcTab)
		if err != nil {
			return 0, err
		}
		acc, n, s = br.acc, br.n, int(sym)
	}
	// At least 16 bits remain: the fill left 57 or more, the code took ≤ 16.
	dc := int64(c.pred)
	if s != 0 {
		dc += int64(extend(int32(acc>>((64-s)&63)), uint(s)))
		acc <<= s & 63
		n -= s
	}
	if dc != int64(int32(dc)) {
		return 0, fmt.Errorf("%w: DC coefficient overflow", ErrFormat)
	}
	c.pred = int32(dc)
	blk[0] = int16(dc)
	k := 1
	for {
		if n < 32 {
			br.acc, br.n = acc, n
			br.fill()
			acc, n = br.acc, br.n
		}
		data := br.data
		if br.end {
			data = nil
		}
		var st acStatus
		acc, n, k, br.pos, st = decodeAC(blk, c.acTab, acc, n, k, data, br.pos)
		switch st {
		case acDone:
			br.acc, br.n = acc, n
			// Coefficients were written at zigzag positions below k only.
			d.lastK = k
			return zigzagPrefix[min(k, 64)-1], nil
		case acBadCode:
			br.acc, br.n = acc, n
			return 0, fmt.Errorf("%w: bad Huffman code", ErrFormat)
		}
	}
}

type acStatus int

const (
	acDone    acStatus = iota // end of block
	acRefill                  // needs fill (marker, 0xFF byte or end of data)
	acBadCode                 // invalid Huffman code
)

// decodeAC decodes AC coefficients from zigzag index k on, refilling the
// accumulator in line from data at pos while 4 bytes without 0xFF are
// available. It is a leaf function with few live values so that the
// compiler keeps them all in registers.
func decodeAC(blk *[64]int16, t *huffTable, acc uint64, n, k int, data []byte, pos int) (uint64, int, int, int, acStatus) {
	for k < 64 {
		if n < 32 {
			if pos+4 > len(data) {
				return acc, n, k, pos, acRefill
			}
			v := binary.BigEndian.Uint32(data[pos:])
			if hasFF32(v) {
				return acc, n, k, pos, acRefill
			}
			acc |= uint64(v) << ((32 - n) & 63)
			n += 32
			pos += 4
		}
		if e := t.fastAC[acc>>(64-lutBits)]; e != 0 {
			k += int(e>>8) & 0xff
			blk[naturalOrder[k&127]&63] = int16(e >> 16)
			l := int(e) & 63
			acc <<= l
			n -= l
			k++
			continue
		}
		var rs int
		if e := t.lut[acc>>(64-lutBits)]; e != 0 {
			l := int(e>>8) & 63
			acc <<= l
			n -= l
			rs = int(e & 0xff)
		} else {
			l := lutBits + 1
			for ; l <= 16; l++ {
				if code := int32(acc >> ((64 - l) & 63)); code <= t.maxcode[l] {
					rs = int(t.vals[(t.valptr[l]+code-t.mincode[l])&255])
					break
				}
			}
			if l > 16 {
				return acc, n, k, pos, acBadCode
			}
			acc <<= l & 63
			n -= l
		}
		r, s := rs>>4, rs&15
		if s == 0 {
			if r != 15 {
				break
			}
			k += 16
			continue
		}
		k += r
		blk[naturalOrder[k&127]&63] = int16(extend(int32(acc>>((64-s)&63)), uint(s)))
		acc <<= s & 63
		n -= s
		k++
	}
	return acc, n, k, pos, acDone
}

// zigzagPrefix[k] is the mask of the natural positions of zigzag indices
// 0..k.
var zigzagPrefix = func() (m [64]uint64) {
	var acc uint64
	for k := range m {
		acc |= 1 << naturalOrder[k]
		m[k] = acc
	}
	return m
}()

func (d *decoder) block(c *component, bx, by int) *[64]int16 {
	return (*[64]int16)(c.coef[(by*c.bw+bx)*64:])
}

// nzMask returns the mask of possibly non-zero coefficients kept for a
// buffered block, in zigzag order (bit k for zigzag index k).
func (d *decoder) nzMask(c *component, bx, by int) *uint64 {
	return &c.nzm[by*c.bw+bx]
}

// decodeMCUDCFirst: first DC scan of a progressive image (G.1.2.1).
func (d *decoder) decodeMCUDCFirst(sc *scanHeader, mx, my int) error {
	return forBlocks(sc, mx, my, func(c *component, bx, by int) error {
		s, err := d.br.decode(c.dcTab)
		if err != nil {
			return err
		}
		dc := int64(c.pred) + int64(d.br.receiveExtend(int(s)))
		if dc != int64(int32(dc)) {
			return fmt.Errorf("%w: DC coefficient overflow", ErrFormat)
		}
		c.pred = int32(dc)
		d.block(c, bx, by)[0] = int16(uint32(dc) << sc.al)
		*d.nzMask(c, bx, by) |= 1
		return nil
	})
}

// decodeMCUDCRefine: DC successive approximation, one bit per block.
func (d *decoder) decodeMCUDCRefine(sc *scanHeader, mx, my int) error {
	return forBlocks(sc, mx, my, func(c *component, bx, by int) error {
		if d.br.bit() {
			d.block(c, bx, by)[0] |= int16(1 << sc.al)
			*d.nzMask(c, bx, by) |= 1
		}
		return nil
	})
}

// decodeMCUACFirst: first AC scan of a band (G.1.2.2), one component.
func (d *decoder) decodeMCUACFirst(sc *scanHeader, mx, my int) error {
	if d.eobrun > 0 {
		d.eobrun--
		return nil
	}
	c := sc.comps[0]
	blk := d.block(c, mx, my)
	br := &d.br
	k := sc.ss
	for {
		if br.n < 32 {
			br.fill()
		}
		data := br.data
		if br.end {
			data = nil
		}
		var st acStatus
		var eob int
		br.acc, br.n, k, br.pos, eob, st = decodeACFirst(blk, c.acTab, br.acc, br.n, k, sc.se, uint(sc.al)&15, data, br.pos)
		switch st {
		case acDone:
			d.eobrun = eob
			*d.nzMask(c, mx, my) |= ^uint64(0) >> (64 - min(k, 64)) &^ (1<<sc.ss - 1)
			return nil
		case acBadCode:
			return fmt.Errorf("%w: bad Huffman code", ErrFormat)
		}
	}
}

// decodeACFirst is decodeAC for a first AC scan: coefficients k..se, each
// shifted left by al, and EOB runs (returned as the count of further blocks
// to skip).
func decodeACFirst(blk *[64]int16, t *huffTable, acc uint64, n, k, se int, al uint, data []byte, pos int) (uint64, int, int, int, int, acStatus) {
	for k <= se {
		if n < 32 {
			if pos+4 > len(data) {
				return acc, n, k, pos, 0, acRefill
			}
			v := binary.BigEndian.Uint32(data[pos:])
			if hasFF32(v) {
				return acc, n, k, pos, 0, acRefill
			}
			acc |= uint64(v) << ((32 - n) & 63)
			n += 32
			pos += 4
		}
		if e := t.fastAC[acc>>(64-lutBits)]; e != 0 {
			k += int(e>>8) & 0xff
			blk[naturalOrder[k&127]&63] = int16(uint32(int16(e>>16)) << al)
			l := int(e) & 63
			acc <<= l
			n -= l
			k++
			continue
		}
		var rs int
		if e := t.lut[acc>>(64-lutBits)]; e != 0 {
			l := int(e>>8) & 63
			acc <<= l
			n -= l
			rs = int(e & 0xff)
		} else {
			l := lutBits + 1
			for ; l <= 16; l++ {
				if code := int32(acc >> ((64 - l) & 63)); code <= t.maxcode[l] {
					rs = int(t.vals[(t.valptr[l]+code-t.mincode[l])&255])
					break
				}
			}
			if l > 16 {
				return acc, n, k, pos, 0, acBadCode
			}
			acc <<= l & 63
			n -= l
		}
		r, s := rs>>4, rs&15
		if s != 0 {
			k += r
			v := extend(int32(acc>>((64-s)&63)), uint(s))
			blk[naturalOrder[k&127]&63] = int16(uint32(v) << al)
			acc <<= s & 63
			n -= s
			k++
			continue
		}
		if r == 15 {
			k += 16
			continue
		}
		// EOBr: this block ends, and 2^r − 1 + (r bits) more are empty.
		// At least 16 bits remain after a code, and r ≤ 14.
		eob := 1<<r - 1
		if r != 0 {
			eob += int(acc >> ((64 - r) & 63))
			acc <<= r & 63
			n -= r
		}
		return acc, n, k, pos, eob, acDone
	}
	return acc, n, k, pos, 0, acDone
}

// decodeMCUACRefine: AC successive approximation (G.1.2.3), one component.
func (d *decoder) decodeMCUACRefine(sc *scanHeader, mx, my int) error {
	c := sc.comps[0]
	blk := d.block(c, mx, my)
	br := &d.br
	p1 := int16(1 << sc.al)
	m1 := int16(-1 << sc.al)
	k := sc.ss
	// refine applies a correction bit to an already non-zero coefficient.
	refine := func(z int) {
		if br.bit() && blk[z]&p1 == 0 {
			if blk[z] >= 0 {
				blk[z] += p1
			} else {
				blk[z] += m1
			}
		}
	}
	if d.eobrun == 0 {
		for ; k <= sc.se; k++ {
			rs, err := br.decode(c.acTab)
			if err != nil {
				return err
			}
			r, s := int(rs>>4), int(rs&15)
			var val int16
			if s != 0 {
				// s must be 1 here; libjpeg only warns otherwise.
				if br.bit() {
					val = p1
				} else {
					val = m1
				}
			} else if r != 15 {
				d.eobrun = 1 << r
				if r != 0 {
					d.eobrun += int(br.bits(r))
				}
				break
			}
			// Skip r zero-history coefficients, refining non-zero ones.
			for k <= sc.se {
				z := int(naturalOrder[k])
				if blk[z] != 0 {
					refine(z)
				} else {
					if r == 0 {
						break
					}
					r--
				}
				k++
			}
			if val != 0 {
				blk[naturalOrder[k]] = val
				*d.nzMask(c, mx, my) |= 1 << min(k, 63)
			}
		}
	}
	if d.eobrun > 0 {
		// Only coefficients already non-zero get a correction bit: visit
		// them through the block's mask rather than scanning every position.
		if k <= sc.se {
			m := *d.nzMask(c, mx, my) >> k << k
			m &= ^uint64(0) >> (63 - sc.se)
			for ; m != 0; m &= m - 1 {
				if z := int(naturalOrder[bits.TrailingZeros64(m)]); blk[z] != 0 {
					refine(z)
				}
			}
		}
		d.eobrun--
	}
	return nil
}
