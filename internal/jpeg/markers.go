package jpeg

import (
	"fmt"
)

// Marker codes (T.81 Table B.1).
const (
	mSOF0 = 0xC0 // baseline
	mSOF1 = 0xC1 // extended sequential, Huffman
	mSOF2 = 0xC2 // progressive, Huffman
	mDHT  = 0xC4
	mRST0 = 0xD0
	mRST7 = 0xD7
	mSOI  = 0xD8
	mEOI  = 0xD9
	mSOS  = 0xDA
	mDQT  = 0xDB
	mDNL  = 0xDC
	mDRI  = 0xDD
	mAPP0 = 0xE0
	mAPPE = 0xEE
	mAPPF = 0xEF
	mCOM  = 0xFE
	mTEM  = 0x01
	mDAC  = 0xCC
)

// maxComponents is libjpeg's limit on components in a frame.
const maxComponents = 10

// nextMarker skips to the next marker from d.pos, as libjpeg does (garbage
// bytes and 0xFF fill bytes are skipped), and returns its code with d.pos
// after it. It returns 0 at the end of the data.
func (d *decoder) nextMarker() int {
	for {
		for d.pos < len(d.data) && d.data[d.pos] != 0xFF {
			d.pos++
		}
		d.markerPos = d.pos
		for d.pos < len(d.data) && d.data[d.pos] == 0xFF {
			d.pos++
		}
		if d.pos >= len(d.data) {
			return 0
		}
		c := d.data[d.pos]
		d.pos++
		if c != 0 {
			return int(c)
		}
		// FF 00 outside entropy data: garbage, keep scanning.
	}
}

// segment returns the payload of the marker segment at d.pos and moves past it.
func (d *decoder) segment(marker int) ([]byte, error) {
	if d.pos+2 > len(d.data) {
		return nil, fmt.Errorf("%w: marker %#x segment length", ErrTruncated, marker)
	}
	n := int(d.data[d.pos])<<8 | int(d.data[d.pos+1])
	if n < 2 {
		return nil, fmt.Errorf("%w: marker %#x bad length %d", ErrFormat, marker, n)
	}
	if d.pos+n > len(d.data) {
		return nil, fmt.Errorf("%w: marker %#x segment", ErrTruncated, marker)
	}
	p := d.data[d.pos+2 : d.pos+n]
	d.pos += n
	return p, nil
}

// readFrameHeader reads from SOI through the frame header (SOF), handling
// the table and application segments before it.
func (d *decoder) readFrameHeader() error {
	if d.frameSeen {
		return nil
	}
	if len(d.data) < 2 || d.data[0] != 0xFF || d.data[1] != mSOI {
		return fmt.Errorf("%w: not a JPEG file (no SOI)", ErrFormat)
	}
	d.pos = 2
	d.dc[0], d.dc[1] = stdDC[0], stdDC[1]
	d.ac[0], d.ac[1] = stdAC[0], stdAC[1]
	for !d.frameSeen {
		m := d.nextMarker()
		if m == 0 {
			return fmt.Errorf("%w: no frame header", ErrTruncated)
		}
		if m == mSOS || m == mEOI {
			return fmt.Errorf("%w: marker %#x before frame header", ErrFormat, m)
		}
		if err := d.handleMarker(m); err != nil {
			return err
		}
	}
	return nil
}

// handleMarker processes one non-scan marker.
func (d *decoder) handleMarker(m int) error {
	switch {
	case m == mSOF0 || m == mSOF1 || m == mSOF2:
		p, err := d.segment(m)
		if err != nil {
			return err
		}
		return d.parseSOF(m, p)
	case m >= 0xC3 && m <= 0xCF && m != mDHT && m != 0xC8 && m != mDAC:
		return fmt.Errorf("%w: SOF marker %#x (lossless, hierarchical or arithmetic coding)", ErrUnsupported, m)
	case m == mDHT:
		p, err := d.segment(m)
		if err != nil {
			return err
		}
		return d.parseDHT(p)
	case m == mDQT:
		p, err := d.segment(m)
		if err != nil {
			return err
		}
		return d.parseDQT(p)
	case m == mDRI:
		p, err := d.segment(m)
		if err != nil {
			return err
		}
		if len(p) != 2 {
			return fmt.Errorf("%w: DRI length", ErrFormat)
		}
		d.restartInterval = int(p[0])<<8 | int(p[1])
		return nil
	case m == mAPP0 || m == mAPPE:
		p, err := d.segment(m)
		if err != nil {
			return err
		}
		d.parseApp(m, p)
		return nil
	case (m > mAPP0 && m <= mAPPF) || m == mCOM || m == mDNL || m == mDAC:
		_, err := d.segment(m)
		return err
	case (m >= mRST0 && m <= mRST7) || m == mTEM:
		return nil // parameterless; libjpeg ignores them here
	case m == mSOI:
		return fmt.Errorf("%w: duplicate SOI", ErrFormat)
	}
	return fmt.Errorf("%w: unknown marker %#x", ErrFormat, m)
}

// parseApp records the JFIF and Adobe markers that decide the colour space.
func (d *decoder) parseApp(m int, p []byte) {
	if m == mAPP0 && len(p) >= 14 && string(p[:5]) == "JFIF\x00" {
		d.jfif = true
	}
	if m == mAPPE && len(p) >= 12 && string(p[:5]) == "Adobe" {
		d.adobe = true
		d.adobeTransform = int(p[11])
	}
}

func (d *decoder) parseDQT(p []byte) error {
	for len(p) > 0 {
		pq, tq := p[0]>>4, int(p[0]&15)
		p = p[1:]
		if tq >= 4 || pq > 1 {
			return fmt.Errorf("%w: DQT table %d precision %d", ErrFormat, tq, pq)
		}
		size := 64 * int(pq+1)
		if len(p) < size {
			return fmt.Errorf("%w: DQT length", ErrFormat)
		}
		q := &d.quant[tq]
		for i := 0; i < 64; i++ {
			v := int32(p[i])
			if pq == 1 {
				v = int32(p[2*i])<<8 | int32(p[2*i+1])
			}
			q[naturalOrder[i]] = v
		}
		d.qdefined[tq] = true
		p = p[size:]
	}
	return nil
}

func (d *decoder) parseDHT(p []byte) error {
	for len(p) > 16 {
		tc, th := int(p[0]>>4), int(p[0]&15)
		if tc > 1 || th > 3 {
			return fmt.Errorf("%w: DHT index %#x", ErrFormat, p[0])
		}
		var counts [16]int
		total := 0
		for i := range counts {
			counts[i] = int(p[1+i])
			total += counts[i]
		}
		p = p[17:]
		if total > 256 || total > len(p) {
			return fmt.Errorf("%w: bogus Huffman table definition", ErrFormat)
		}
		t := new(huffTable)
		// libjpeg checks a table's codes only when a scan uses it.
		if err := t.build(&counts, p[:total], tc == 0); err != nil {
			t = &huffTable{err: err}
		}
		if tc == 0 {
			d.dc[th] = t
		} else {
			d.ac[th] = t
		}
		p = p[total:]
	}
	if len(p) != 0 {
		return fmt.Errorf("%w: DHT length", ErrFormat)
	}
	return nil
}

func (d *decoder) parseSOF(m int, p []byte) error {
	if d.frameSeen {
		return fmt.Errorf("%w: duplicate SOF", ErrFormat)
	}
	if len(p) < 6 {
		return fmt.Errorf("%w: SOF length", ErrFormat)
	}
	if p[0] != 8 {
		return fmt.Errorf("%w: %d-bit samples", ErrUnsupported, p[0])
	}
	d.height = int(p[1])<<8 | int(p[2])
	d.width = int(p[3])<<8 | int(p[4])
	n := int(p[5])
	if d.width == 0 || d.height == 0 || n == 0 {
		return fmt.Errorf("%w: empty image (%dx%d, %d components; DNL is not supported)", ErrFormat, d.width, d.height, n)
	}
	if len(p) != 6+3*n {
		return fmt.Errorf("%w: SOF length", ErrFormat)
	}
	if n > maxComponents {
		return fmt.Errorf("%w: %d components", ErrFormat, n)
	}
	if d.width > 65500 || d.height > 65500 {
		return fmt.Errorf("%w: %dx%d exceeds libjpeg's 65500 limit", ErrTooLarge, d.width, d.height)
	}
	if n != 1 && n != 3 && n != 4 {
		return fmt.Errorf("%w: %d components", ErrUnsupported, n)
	}
	d.progressive = m == mSOF2
	d.ncomp = n
	d.hmax, d.vmax = 1, 1
	for i := 0; i < n; i++ {
		c := &d.comp[i]
		c.id = int(p[6+3*i])
		c.h, c.v = int(p[7+3*i]>>4), int(p[7+3*i]&15)
		c.tq = int(p[8+3*i])
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return fmt.Errorf("%w: sampling factors %dx%d", ErrFormat, c.h, c.v)
		}
		d.hmax = max(d.hmax, c.h)
		d.vmax = max(d.vmax, c.v)
	}
	d.mcusX = ceilDiv(d.width, 8*d.hmax)
	d.mcusY = ceilDiv(d.height, 8*d.vmax)
	for i := 0; i < n; i++ {
		c := &d.comp[i]
		c.bw, c.bh = d.mcusX*c.h, d.mcusY*c.v
		c.dw = ceilDiv(d.width*c.h, d.hmax)
		c.dh = ceilDiv(d.height*c.v, d.vmax)
	}
	d.frameSeen = true
	return nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// naturalOrder maps zigzag index to natural (row-major) index. Entries past
// 63 catch runs past the end in corrupt data, as libjpeg's table does, and
// let an index masked with 127 skip bounds checks.
var naturalOrder = [128]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
}

// zz2nat[i][b] maps bits b of byte i of a zigzag-order mask to natural
// positions.
var zz2nat = func() (t [8][256]uint64) {
	for i := range t {
		for b := 0; b < 256; b++ {
			for j := 0; j < 8; j++ {
				if b&(1<<j) != 0 {
					t[i][b] |= 1 << naturalOrder[8*i+j]
				}
			}
		}
	}
	return t
}()

// zigzagToNatural converts a zigzag-order coefficient mask to natural order.
func zigzagToNatural(m uint64) uint64 {
	return zz2nat[0][byte(m)] | zz2nat[1][byte(m>>8)] | zz2nat[2][byte(m>>16)] |
		zz2nat[3][byte(m>>24)] | zz2nat[4][byte(m>>32)] | zz2nat[5][byte(m>>40)] |
		zz2nat[6][byte(m>>48)] | zz2nat[7][byte(m>>56)]
}
