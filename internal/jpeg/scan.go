package jpeg

import (
	"fmt"
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
	return forBlocks(sc, mx, my, func(c *component, bx, by int) error {
		var blk *[64]int16
		if d.multiScan {
			blk = d.block(c, bx, by)
			*blk = [64]int16{}
		} else {
			blk = &d.blk
		}
		nz, err := d.decodeBlock(c, blk)
		if err != nil {
			return err
		}
		if d.multiScan {
			*d.nzMask(c, bx, by) = nz
		} else {
			d.renderBlock(c, bx, by, blk, nz)
			*blk = [64]int16{}
		}
		return nil
	})
}

// decodeBlock decodes one sequential block (F.2.2.1, F.2.2.2) into blk,
// which must be zero, in natural order. It returns a mask of the positions
// written.
func (d *decoder) decodeBlock(c *component, blk *[64]int16) (uint64, error) {
	br := &d.br
	s, err := br.decode(c.dcTab)
	if err != nil {
		return 0, err
	}
	dc := int64(c.pred) + int64(br.receiveExtend(int(s)))
	if dc != int64(int32(dc)) {
		return 0, fmt.Errorf("%w: DC coefficient overflow", ErrFormat)
	}
	nz := uint64(1)
	c.pred = int32(dc)
	blk[0] = int16(dc)
	act := c.acTab
	for k := 1; k < 64; {
		if br.n < 16 {
			br.fill()
		}
		if e := act.fastAC[br.acc>>(64-lutBits)]; e != 0 {
			k += int(e>>8) & 0xff
			z := naturalOrder[k]
			blk[z] = int16(e >> 16)
			nz |= 1 << z
			l := int(e & 0xff)
			br.acc <<= l
			br.n -= l
			k++
			continue
		}
		rs, err := br.decode(act)
		if err != nil {
			return 0, err
		}
		r, s := int(rs>>4), int(rs&15)
		if s != 0 {
			k += r
			z := naturalOrder[k]
			blk[z] = int16(br.receiveExtend(s))
			nz |= 1 << z
			k++
		} else {
			if r != 15 {
				break
			}
			k += 16
		}
	}
	return nz, nil
}

func (d *decoder) block(c *component, bx, by int) *[64]int16 {
	return (*[64]int16)(c.coef[(by*c.bw+bx)*64:])
}

// nzMask returns the mask of non-zero coefficients kept for a buffered block.
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
	nzm := d.nzMask(c, mx, my)
	br := &d.br
	for k := sc.ss; k <= sc.se; k++ {
		rs, err := br.decode(c.acTab)
		if err != nil {
			return err
		}
		r, s := int(rs>>4), int(rs&15)
		if s != 0 {
			k += r
			z := naturalOrder[k]
			blk[z] = int16(uint32(br.receiveExtend(s)) << sc.al)
			*nzm |= 1 << z
			continue
		}
		if r != 15 {
			d.eobrun = 1<<r - 1
			if r != 0 {
				d.eobrun += int(br.bits(r))
			}
			break
		}
		k += 15
	}
	return nil
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
				z := naturalOrder[k]
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
				z := naturalOrder[k]
				blk[z] = val
				*d.nzMask(c, mx, my) |= 1 << z
			}
		}
	}
	if d.eobrun > 0 {
		for ; k <= sc.se; k++ {
			if z := naturalOrder[k]; blk[z] != 0 {
				refine(z)
			}
		}
		d.eobrun--
	}
	return nil
}
