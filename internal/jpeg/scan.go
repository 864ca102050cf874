package jpeg

import (
	"fmt"
)

// decodeScan decodes the entropy-coded data of one scan, starting at d.pos.
func (d *decoder) decodeScan(sc *scanHeader) error {
	d.br.lenient = d.opt.Lenient
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
	d.insufficient = false
	for my := 0; my < mh; my++ {
		for mx := 0; mx < mw; mx++ {
			if d.restartInterval > 0 {
				if left == 0 {
					if d.opt.Lenient {
						d.resyncRestart(nextRST)
					} else if err := d.readRestart(nextRST); err != nil {
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
			if d.insufficient {
				d.skipMCU(sc, mx, my)
				continue
			}
			if err := decodeMCU(sc, mx, my); err != nil {
				return fmt.Errorf("scan at MCU (%d,%d): %w", mx, my, err)
			}
			if d.br.overrun() {
				if !d.opt.Lenient {
					return fmt.Errorf("%w: scan data ends at MCU (%d,%d) of %dx%d", ErrTruncated, mx, my, mw, mh)
				}
				d.insufficient = true
			}
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

// skipMCU leaves an MCU empty after the data ran out (lenient mode): zero
// coefficients for sequential scans, unchanged ones for progressive scans.
func (d *decoder) skipMCU(sc *scanHeader, mx, my int) {
	if d.progressive || d.multiScan {
		return // buffered coefficients start at zero or keep earlier scans
	}
	blk := &d.blk
	*blk = [64]int16{}
	for _, c := range sc.comps[:sc.n] {
		for v := 0; v < c.v; v++ {
			for h := 0; h < c.h; h++ {
				bx, by := mx*c.h+h, my*c.v+v
				if sc.n == 1 {
					bx, by = mx, my
				}
				d.renderBlock(c, bx, by, blk, 1)
			}
		}
	}
}

// resyncRestart handles the end of a restart interval in lenient mode as
// libjpeg does (process_restart, read_restart_marker and
// jpeg_resync_to_restart): the expected RSTn is consumed; another marker
// is either skipped, scanned past, or left in place so that the next
// interval reads no data (and its MCUs stay empty).
func (d *decoder) resyncRestart(want int) {
	d.pos = d.br.restart()
	m := d.nextMarker()
	for m != 0 { // 0: end of data, which libjpeg sees as a (fake) EOI
		action := 1
		switch {
		case m < mSOF0:
			action = 2
		case m < mRST0 || m > mRST7:
			action = 3
		case m == mRST0+(want+1)&7 || m == mRST0+(want+2)&7:
			action = 3
		case m == mRST0+(want-1)&7 || m == mRST0+(want-2)&7:
			action = 2
		}
		if action == 1 {
			d.insufficient = false
			break
		}
		if action == 3 {
			d.pos = d.markerPos // leave it unread
			break
		}
		m = d.nextMarker()
	}
	d.br.reset(d.data, d.pos)
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
