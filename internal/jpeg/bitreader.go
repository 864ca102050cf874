package jpeg

import (
	"encoding/binary"
	"fmt"
)

// bitReader reads entropy-coded data (T.81 F.2.2.5): bytes 0xFF 0x00 stand
// for 0xFF, and any other marker ends the data. Bits are kept left-aligned in
// a 64-bit accumulator. When the data ends, zero bits are supplied, as
// libjpeg does; reading into them is detected as overrun.
type bitReader struct {
	data []byte
	pos  int    // next byte to load
	acc  uint64 // valid bits at the top, zeros below
	n    int    // number of valid bits in acc, padding included
	pad  int    // zero bits supplied after the end; n < pad means overrun
	end  bool   // reached a marker or the end of data; pos is at the marker
	// lenient makes an invalid Huffman code read as symbol 0 (libjpeg).
	lenient bool
}

func (br *bitReader) reset(data []byte, pos int) {
	*br = bitReader{data: data, pos: pos, lenient: br.lenient}
}

// hasFF reports whether any byte of v is 0xFF.
func hasFF(v uint64) bool {
	x := ^v
	return (x-0x0101010101010101)&^x&0x8080808080808080 != 0
}

// hasFF32 reports whether any byte of v is 0xFF.
func hasFF32(v uint32) bool {
	x := ^v
	return (x-0x01010101)&^x&0x80808080 != 0
}

// fill tops the accumulator up to more than 56 bits.
func (br *bitReader) fill() {
	if !br.end && br.pos+8 <= len(br.data) {
		v := binary.BigEndian.Uint64(br.data[br.pos:])
		if !hasFF(v) {
			nb := (64 - br.n) >> 3
			br.acc |= v >> (64 - 8*nb) << (64 - br.n - 8*nb)
			br.n += 8 * nb
			br.pos += nb
			return
		}
	}
	br.fillSlow()
}

func (br *bitReader) fillSlow() {
	for br.n <= 56 {
		if br.end {
			br.n += 8
			br.pad += 8
			continue
		}
		if br.pos >= len(br.data) {
			br.end = true
			continue
		}
		b := br.data[br.pos]
		if b == 0xFF {
			// Skip fill bytes; FF 00 is a data byte, anything else a marker.
			p := br.pos + 1
			for p < len(br.data) && br.data[p] == 0xFF {
				p++
			}
			if p >= len(br.data) || br.data[p] != 0 {
				br.pos = p - 1
				br.end = true
				continue
			}
			br.pos = p + 1
		} else {
			br.pos++
		}
		br.acc |= uint64(b) << (56 - br.n)
		br.n += 8
	}
}

// bits returns the next n (0..16) bits.
func (br *bitReader) bits(n int) int32 {
	if n == 0 {
		return 0
	}
	if br.n < n {
		br.fill()
	}
	v := int32(br.acc >> (64 - n))
	br.acc <<= n
	br.n -= n
	return v
}

func (br *bitReader) bit() bool {
	if br.n < 1 {
		br.fill()
	}
	v := br.acc>>63 != 0
	br.acc <<= 1
	br.n--
	return v
}

// receiveExtend reads a size-bit magnitude and returns its signed value.
func (br *bitReader) receiveExtend(size int) int32 {
	if size == 0 {
		return 0
	}
	return extend(br.bits(size), uint(size))
}

// decode reads one Huffman-coded symbol.
func (br *bitReader) decode(t *huffTable) (byte, error) {
	if br.n < 16 {
		br.fill()
	}
	if e := t.lut[br.acc>>(64-lutBits)]; e != 0 {
		l := int(e >> 8)
		br.acc <<= l
		br.n -= l
		return byte(e), nil
	}
	return br.decodeSlow(t)
}

// decodeSlow reads a symbol whose code is longer than lutBits; at least 16
// bits must be buffered.
func (br *bitReader) decodeSlow(t *huffTable) (byte, error) {
	if sym, l := t.slowSymbol(br.acc); l != 0 {
		br.acc <<= l
		br.n -= l
		return byte(sym), nil
	}
	if br.lenient {
		// libjpeg reads 17 bits, finds no code, and takes symbol 0.
		if br.n < 17 {
			br.fill()
		}
		br.acc <<= 17
		br.n -= 17
		return 0, nil
	}
	return 0, fmt.Errorf("%w: bad Huffman code", ErrFormat)
}

// overrun reports whether decoding consumed bits beyond the data.
func (br *bitReader) overrun() bool { return br.n < br.pad }

// restart drops the bits left before a restart marker and returns the
// position of the byte after the buffered data (where the marker should be).
func (br *bitReader) restart() int {
	p := br.pos
	br.acc, br.n, br.pad, br.end = 0, 0, 0, false
	return p
}
