package jpeg

import (
	"encoding/binary"
	"fmt"
)

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
// written (exactly the non-zero AC coefficients, and the DC). The bit reader's state lives in locals, and the inner loop makes
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
	nz := uint64(1)
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
		acc, n, k, br.pos, nz, st = decodeAC(blk, c.acTab, acc, n, k, data, br.pos, nz)
		switch st {
		case acDone:
			br.acc, br.n = acc, n
			// Coefficients were written at zigzag positions below k only.
			d.lastK = k
			return nz, nil
		case acBadCode:
			br.acc, br.n = acc, n
			if !d.opt.Lenient {
				return 0, fmt.Errorf("%w: bad Huffman code", ErrFormat)
			}
			// libjpeg reads 17 bits and takes symbol 0: end of block.
			br.acc <<= 17
			br.n -= 17
			d.lastK = k
			return nz, nil
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
func decodeAC(blk *[64]int16, t *huffTable, acc uint64, n, k int, data []byte, pos int, nz uint64) (uint64, int, int, int, uint64, acStatus) {
	for k < 64 {
		if n < 32 {
			if pos+4 > len(data) {
				return acc, n, k, pos, nz, acRefill
			}
			v := binary.BigEndian.Uint32(data[pos:])
			if hasFF32(v) {
				return acc, n, k, pos, nz, acRefill
			}
			acc |= uint64(v) << ((32 - n) & 63)
			n += 32
			pos += 4
		}
		if e := t.fastAC[acc>>(64-lutBits)]; e != 0 {
			k += int(e>>8) & 0xff
			p := naturalOrder[k&127] & 63
			blk[p] = int16(e >> 16)
			nz |= 1 << p
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
				return acc, n, k, pos, nz, acBadCode
			}
			rs = sym
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
		p := naturalOrder[k&127] & 63
		blk[p] = int16(extend(int32(acc>>((64-s)&63)), uint(s)))
		nz |= 1 << p
		acc <<= s & 63
		n -= s
		k++
	}
	return acc, n, k, pos, nz, acDone
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
