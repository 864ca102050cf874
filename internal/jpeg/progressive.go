package jpeg

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Progressive scans (T.81 G.1.2): DC first and refinement scans may be
// interleaved; AC scans hold one component and a spectral band, and code
// runs of empty blocks (EOB runs).

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
	var nz uint64 // zigzag positions written
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
		br.acc, br.n, k, br.pos, eob, nz, st = decodeACFirst(blk, c.acTab, br.acc, br.n, k, sc.se, uint(sc.al)&15, data, br.pos, nz)
		switch st {
		case acDone:
			d.eobrun = eob
			*d.nzMask(c, mx, my) |= nz
			return nil
		case acBadCode:
			if !d.opt.Lenient {
				return fmt.Errorf("%w: bad Huffman code", ErrFormat)
			}
			// libjpeg reads 17 bits and takes symbol 0: end of band.
			br.acc <<= 17
			br.n -= 17
			d.eobrun = 0
			*d.nzMask(c, mx, my) |= nz
			return nil
		}
	}
}

// decodeACFirst is decodeAC for a first AC scan: coefficients k..se, each
// shifted left by al, and EOB runs (returned as the count of further blocks
// to skip). It adds the zigzag positions it writes to nz.
func decodeACFirst(blk *[64]int16, t *huffTable, acc uint64, n, k, se int, al uint, data []byte, pos int, nz uint64) (uint64, int, int, int, int, uint64, acStatus) {
	for k <= se {
		if n < 32 {
			if pos+4 > len(data) {
				return acc, n, k, pos, 0, nz, acRefill
			}
			v := binary.BigEndian.Uint32(data[pos:])
			if hasFF32(v) {
				return acc, n, k, pos, 0, nz, acRefill
			}
			acc |= uint64(v) << ((32 - n) & 63)
			n += 32
			pos += 4
		}
		if e := t.fastAC[acc>>(64-lutBits)]; e != 0 {
			k += int(e>>8) & 0xff
			blk[naturalOrder[k&127]&63] = int16(uint32(int16(e>>16)) << al)
			nz |= 1 << (uint(min(k, 63)) & 63) // runs past 63 write at 63 (naturalOrder)
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
			sym, l := t.slowSymbol(acc)
			if l == 0 {
				return acc, n, k, pos, 0, nz, acBadCode
			}
			rs = sym
			acc <<= l & 63
			n -= l
		}
		r, s := rs>>4, rs&15
		if s != 0 {
			k += r
			v := extend(int32(acc>>((64-s)&63)), uint(s))
			blk[naturalOrder[k&127]&63] = int16(uint32(v) << al)
			nz |= 1 << (uint(min(k, 63)) & 63) // runs past 63 write at 63 (naturalOrder)
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
		return acc, n, k, pos, eob, nz, acDone
	}
	return acc, n, k, pos, 0, nz, acDone
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
