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

func (d *decoder) block(c *component, bx, by int) *[64]int16 {
	return (*[64]int16)(c.coef[(by*c.bw+bx)*64:])
}

// nzMask returns the mask of possibly non-zero coefficients kept for a
// buffered block, in zigzag order (bit k for zigzag index k).
func (d *decoder) nzMask(c *component, bx, by int) *uint64 {
	return &c.nzm[by*c.bw+bx]
}
