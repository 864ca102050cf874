package jpeg

import (
	"errors"
	"fmt"
)

// component is one colour component of the frame.
type component struct {
	id      int
	h, v    int // sampling factors
	tq      int // quantisation table selector
	quant   [64]int32
	latched bool // quant copied, at the component's first scan (as libjpeg)
	bw, bh  int  // blocks per row and column, whole MCUs
	dw, dh  int  // real samples: ⌈W·h/hmax⌉ × ⌈H·v/vmax⌉
	coef    []int16
	nzm     []uint64 // per buffered block: zigzag mask of possibly non-zero coefficients
	pred    int32
	dcTab   *huffTable
	acTab   *huffTable
	// coefBits[k] is the successive-approximation bit position of
	// coefficient k known so far; -1 before any scan covered it.
	coefBits [64]int8
	scanned  bool
	plane    plane
	up       upsampler
}

// decoder holds the state of one decode.
type decoder struct {
	data      []byte
	pos       int
	markerPos int // where the marker nextMarker last found begins
	opt       Options
	sample    *sampling // nil for a full decode

	frameSeen     bool
	width, height int
	ncomp         int
	comp          [maxComponents]component
	hmax, vmax    int
	mcusX, mcusY  int
	progressive   bool

	quant           [4][64]int32
	qdefined        [4]bool
	dc, ac          [4]*huffTable
	restartInterval int
	jfif, adobe     bool
	adobeTransform  int

	started   bool // the first scan has been set up
	multiScan bool // coefficients are buffered for the whole image
	eobrun    int
	scans     int
	// insufficient is set in lenient mode when a scan's data ran out: its
	// remaining MCUs are skipped, as libjpeg does, until a restart marker.
	insufficient bool
	br           bitReader
	blk          [64]int16
	ws           [64]int32 // inverse DCT workspace
	lastK        int       // zigzag index after the last coefficient decodeBlock wrote
}

// scanHeader is a parsed SOS segment.
type scanHeader struct {
	comps          [4]*component
	n              int
	ss, se, ah, al int
}

// decode reads the file up to the end of the image data, leaving either
// filled planes (single scan) or filled coefficient buffers (several scans).
func (d *decoder) decode() error {
	if err := d.readFrameHeader(); err != nil {
		return err
	}
	for {
		m := d.nextMarker()
		switch m {
		case 0:
			return d.finishWithoutEOI()
		case mEOI:
			if !d.started {
				return fmt.Errorf("%w: no image data before EOI", ErrFormat)
			}
			return nil
		case mSOS:
			p, err := d.segment(m)
			if err != nil {
				if d.opt.Lenient && d.started && errors.Is(err, ErrTruncated) {
					return nil
				}
				return err
			}
			if d.scans++; d.scans > d.opt.maxScans() {
				return fmt.Errorf("%w: more than %d scans", ErrTooLarge, d.opt.maxScans())
			}
			sc, err := d.parseSOS(p)
			if err != nil {
				return err
			}
			if !d.started {
				if err := d.setup(sc); err != nil {
					return err
				}
			}
			if err := d.decodeScan(sc); err != nil {
				return err
			}
			if !d.multiScan {
				return nil // libjpeg reads no further in single-scan mode
			}
		default:
			if err := d.handleMarker(m); err != nil {
				if d.opt.Lenient && d.started && errors.Is(err, ErrTruncated) {
					return nil // libjpeg outputs what it has
				}
				return err
			}
		}
	}
}

// finishWithoutEOI decides whether data that ends without EOI still holds
// the whole image: every component scanned, and for progressive images
// every coefficient refined to its last bit.
func (d *decoder) finishWithoutEOI() error {
	if !d.started {
		return fmt.Errorf("%w: no image data", ErrTruncated)
	}
	if d.opt.Lenient {
		return nil
	}
	for i := 0; i < d.ncomp; i++ {
		c := &d.comp[i]
		if !c.scanned {
			return fmt.Errorf("%w: component %d never scanned", ErrTruncated, c.id)
		}
		if d.progressive {
			for _, b := range c.coefBits {
				if b != 0 {
					return fmt.Errorf("%w: progressive scans incomplete", ErrTruncated)
				}
			}
		}
	}
	return nil
}

func (d *decoder) parseSOS(p []byte) (*scanHeader, error) {
	if !d.frameSeen {
		return nil, fmt.Errorf("%w: SOS before SOF", ErrFormat)
	}
	if len(p) < 1 {
		return nil, fmt.Errorf("%w: SOS length", ErrFormat)
	}
	n := int(p[0])
	if n < 1 || n > 4 || len(p) != 4+2*n {
		return nil, fmt.Errorf("%w: SOS length (%d components)", ErrFormat, n)
	}
	sc := &scanHeader{n: n}
	blocks := 0
	for i := 0; i < n; i++ {
		id := int(p[1+2*i])
		var c *component
		for j := 0; j < d.ncomp && c == nil; j++ {
			cand := &d.comp[j]
			if cand.id != id {
				continue
			}
			dup := false
			for _, prev := range sc.comps[:i] {
				dup = dup || prev == cand
			}
			if !dup {
				c = cand
			}
		}
		if c == nil {
			return nil, fmt.Errorf("%w: SOS component id %d", ErrFormat, id)
		}
		td, ta := int(p[2+2*i]>>4), int(p[2+2*i]&15)
		if td > 3 || ta > 3 {
			return nil, fmt.Errorf("%w: SOS table selector", ErrFormat)
		}
		c.dcTab, c.acTab = d.dc[td], d.ac[ta]
		sc.comps[i] = c
		blocks += c.h * c.v
	}
	if n > 1 && blocks > 10 {
		return nil, fmt.Errorf("%w: %d blocks in an MCU", ErrFormat, blocks)
	}
	q := p[1+2*n:]
	sc.ss, sc.se, sc.ah, sc.al = int(q[0]), int(q[1]), int(q[2]>>4), int(q[2]&15)
	if d.progressive {
		if err := sc.checkProgression(); err != nil {
			return nil, err
		}
	} else {
		// libjpeg decodes a sequential scan in full whatever these say.
		sc.ss, sc.se, sc.ah, sc.al = 0, 63, 0, 0
	}
	for _, c := range sc.comps[:n] {
		if err := d.checkTables(sc, c); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// checkProgression applies libjpeg's checks of progressive parameters.
func (sc *scanHeader) checkProgression() error {
	bad := false
	if sc.ss == 0 {
		bad = sc.se != 0
	} else {
		bad = sc.ss > sc.se || sc.se > 63 || sc.n != 1
	}
	if sc.ah != 0 && sc.al != sc.ah-1 {
		bad = true
	}
	if sc.al > 13 {
		bad = true
	}
	if bad {
		return fmt.Errorf("%w: invalid progressive parameters Ss=%d Se=%d Ah=%d Al=%d", ErrFormat, sc.ss, sc.se, sc.ah, sc.al)
	}
	return nil
}

// checkTables makes sure the tables a scan needs exist and latches the
// component's quantisation table at its first scan.
func (d *decoder) checkTables(sc *scanHeader, c *component) error {
	needDC := !d.progressive || (sc.ss == 0 && sc.ah == 0)
	needAC := !d.progressive || sc.ss != 0
	for _, t := range []struct {
		need bool
		tab  *huffTable
	}{{needDC, c.dcTab}, {needAC, c.acTab}} {
		if !t.need {
			continue
		}
		if t.tab == nil {
			return fmt.Errorf("%w: scan uses an undefined Huffman table", ErrFormat)
		}
		if t.tab.err != nil {
			return t.tab.err
		}
	}
	if !c.latched {
		if c.tq > 3 || !d.qdefined[c.tq] {
			return fmt.Errorf("%w: quantisation table %d not defined", ErrFormat, c.tq)
		}
		c.quant = d.quant[c.tq]
		c.latched = true
	}
	return nil
}

// setup runs at the first scan: it checks the pixel budget and allocates.
func (d *decoder) setup(sc *scanHeader) error {
	d.started = true
	d.multiScan = d.progressive || sc.n < d.ncomp
	padded := int64(d.mcusX*8*d.hmax) * int64(d.mcusY*8*d.vmax)
	if padded > d.opt.maxPixels() {
		return fmt.Errorf("%w: %dx%d", ErrTooLarge, d.width, d.height)
	}
	if !d.opt.Lenient {
		if err := d.checkDataSize(); err != nil {
			return err
		}
	}
	for i := 0; i < d.ncomp; i++ {
		c := &d.comp[i]
		for k := range c.coefBits {
			c.coefBits[k] = -1
		}
		up, err := d.chooseUpsampler(c)
		if err != nil {
			return err
		}
		c.up = up
		if d.multiScan {
			c.coef = make([]int16, c.bw*c.bh*64)
			c.nzm = make([]uint64, c.bw*c.bh)
		}
		c.plane = d.newPlane(c)
	}
	return nil
}

// checkDataSize rejects files far too short for their stated dimensions
// before large buffers are allocated: every block takes at least one bit in
// some scan.
func (d *decoder) checkDataSize() error {
	blocks := int64(0)
	for i := 0; i < d.ncomp; i++ {
		c := &d.comp[i]
		blocks += int64(ceilDiv(c.dw, 8)) * int64(ceilDiv(c.dh, 8))
	}
	if d.multiScan {
		// A progressive DC scan may cover all components at one bit a block.
		if int64(len(d.data)-d.pos)*8 < blocks/int64(d.ncomp) {
			return fmt.Errorf("%w: %d bytes cannot hold %d blocks", ErrTruncated, len(d.data)-d.pos, blocks)
		}
		return nil
	}
	if int64(len(d.data)-d.pos)*8 < blocks {
		return fmt.Errorf("%w: %d bytes cannot hold %d blocks", ErrTruncated, len(d.data)-d.pos, blocks)
	}
	return nil
}
