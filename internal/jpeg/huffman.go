package jpeg

import "fmt"

// lutBits is the number of bits looked at in one table lookup. Codes of up
// to lutBits bits (nearly all codes in practice) decode with one lookup.
const lutBits = 9

// huffTable is a decoding table built from a DHT segment (T.81 Annex C and
// F.2.2.3).
type huffTable struct {
	err error // non-nil if the DHT data is invalid; reported when a scan uses it
	// lut maps the next lutBits bits to length<<8 | symbol; 0 means the code
	// is longer than lutBits.
	lut [1 << lutBits]uint16
	// fastAC, for AC tables, maps the next lutBits bits to a whole coefficient
	// when code and magnitude bits fit: uint16(value)<<16 | run<<8 | bits
	// used; 0 means "use lut".
	fastAC [1 << lutBits]uint32
	// maxcode[l] is the largest code of length l (-1 if none), mincode[l]
	// the smallest, valptr[l] the index in vals of the first code of length l.
	maxcode [18]int32
	mincode [17]int32
	valptr  [17]int32
	vals    [256]byte
}

// build fills t from the 16 code-length counts and the symbol values of a
// DHT segment, checking them as libjpeg does.
func (t *huffTable) build(counts *[16]int, vals []byte, isDC bool) error {
	*t = huffTable{}
	total := 0
	for _, c := range counts {
		total += c
	}
	if total > 256 || total != len(vals) {
		return fmt.Errorf("%w: bad Huffman table", ErrFormat)
	}
	copy(t.vals[:], vals)
	if isDC {
		// A DC symbol is a magnitude category; libjpeg rejects above 15.
		for _, v := range vals {
			if v > 15 {
				return fmt.Errorf("%w: bad Huffman table (DC symbol %d)", ErrFormat, v)
			}
		}
	}
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		t.valptr[l] = k
		t.mincode[l] = code
		if n == 0 {
			t.maxcode[l] = -1
		} else {
			code += n
			k += n
			// Codes of length l must fit in l bits (C.2 generation).
			if code-1 >= 1<<l {
				return fmt.Errorf("%w: bad Huffman table (code overflow)", ErrFormat)
			}
			t.maxcode[l] = code - 1
		}
		code <<= 1
	}
	t.maxcode[17] = 0x7fffffff // sentinel: ends the slow search
	t.fillLUT(counts)
	if !isDC {
		t.fillFastAC()
	}
	return nil
}

func (t *huffTable) fillLUT(counts *[16]int) {
	code, k := 0, 0
	for l := 1; l <= lutBits; l++ {
		for i := 0; i < counts[l-1]; i++ {
			shift := lutBits - l
			base := code << shift
			for j := 0; j < 1<<shift; j++ {
				t.lut[base+j] = uint16(l<<8) | uint16(t.vals[k])
			}
			code++
			k++
		}
		code <<= 1
	}
}

// fillFastAC precomputes run, value and total length for AC codes whose
// code and magnitude bits together fit in lutBits.
func (t *huffTable) fillFastAC() {
	for i := range t.lut {
		e := t.lut[i]
		if e == 0 {
			continue
		}
		l := int(e >> 8)
		rs := int(e & 0xff)
		run, size := rs>>4, rs&15
		if size == 0 || l+size > lutBits {
			continue
		}
		bits := (i >> (lutBits - l - size)) & (1<<size - 1)
		v := extend(int32(bits), uint(size))
		t.fastAC[i] = uint32(uint16(v))<<16 | uint32(run)<<8 | uint32(l+size)
	}
}

// extend turns the size-bit magnitude bits v into a signed value (F.2.2.1).
func extend(v int32, size uint) int32 {
	if size == 0 {
		return 0
	}
	if v < 1<<(size-1) {
		return v - 1<<size + 1
	}
	return v
}

// Standard tables from T.81 Annex K.3, used when a scan refers to table 0 or
// 1 that no DHT defined (Motion-JPEG frames omit them; libjpeg-turbo does
// the same).
var (
	stdDCLumaCounts   = [16]int{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}
	stdDCLumaVals     = []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	stdDCChromaCounts = [16]int{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}
	stdDCChromaVals   = []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	stdACLumaCounts   = [16]int{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d}
	stdACLumaVals     = []byte{
		0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
		0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
		0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
		0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
		0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
		0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
		0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
		0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
		0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
		0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
		0xf9, 0xfa,
	}
	stdACChromaCounts = [16]int{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77}
	stdACChromaVals   = []byte{
		0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
		0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
		0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
		0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
		0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
		0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
		0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
		0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
		0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
		0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
		0xf9, 0xfa,
	}
)

// stdDC and stdAC hold the Annex K tables, built once.
var stdDC, stdAC [2]*huffTable

func init() {
	build := func(counts *[16]int, vals []byte, isDC bool) *huffTable {
		t := new(huffTable)
		if err := t.build(counts, vals, isDC); err != nil {
			panic("jpeg: standard Huffman table invalid: " + err.Error())
		}
		return t
	}
	stdDC[0] = build(&stdDCLumaCounts, stdDCLumaVals, true)
	stdDC[1] = build(&stdDCChromaCounts, stdDCChromaVals, true)
	stdAC[0] = build(&stdACLumaCounts, stdACLumaVals, false)
	stdAC[1] = build(&stdACChromaCounts, stdACChromaVals, false)
}

// slowSymbol decodes a code longer than the lookup table covers, from the
// top of the bit buffer acc; the scan decoders take this rare path after a
// lookup miss. It returns the symbol and the code length, or length 0 for
// bits that are no code of the table.
func (t *huffTable) slowSymbol(acc uint64) (sym, length int) {
	for l := lutBits + 1; l <= 16; l++ {
		if code := int32(acc >> ((64 - l) & 63)); code <= t.maxcode[l] {
			return int(t.vals[(t.valptr[l]+code-t.mincode[l])&255]), l
		}
	}
	return 0, 0
}
