package jpeg

import "encoding/binary"

// Colour conversion as libjpeg does it (jdcolor.c arithmetic, documented in
// libjpeg's libjpeg.txt and the JFIF specification): with x = Cb−128 or
// Cr−128 and 16-bit fixed point,
//
//	R = Y + ⌊(FIX(1.40200)·Cr' + ½) / 2¹⁶⌋
//	G = Y + ⌊(−FIX(0.34414)·Cb' − FIX(0.71414)·Cr' + ½) / 2¹⁶⌋
//	B = Y + ⌊(FIX(1.77200)·Cb' + ½) / 2¹⁶⌋
//
// each clamped to 0..255, where FIX(x) = round(x·2¹⁶).

type colorSpace int

const (
	csGray colorSpace = iota
	csYCbCr
	csRGB
	csCMYK
	csYCCK
)

const (
	scaleBits = 16
	oneHalf   = 1 << (scaleBits - 1)
)

func fix16(x float64) int32 { return int32(x*(1<<scaleBits) + 0.5) }

var (
	crR [256]int32 // R offset for Cr
	cbB [256]int32 // B offset for Cb
	crG [256]int32 // G term for Cr, unshifted
	cbG [256]int32 // G term for Cb, unshifted, with rounding

)

// colorTables holds the converter's tables together, so that one base
// register addresses them all: the colour terms biased by limitBias (the G
// term before its shift), so that a sum indexes a limit table directly.
type colorTables struct {
	crRb, cbBb, cbGb, crG   [256]int32
	limitR, limitG, limitBA [1024]uint32
}

var ctab colorTables

// limitBias offsets sums of a sample and a colour term into rangeLimit.
// Those sums lie within −256..511, so the table lookup is exact for every
// input; the mask only spares a bounds check.
const limitBias = 384

// rangeLimit[v+limitBias] clamps v to 0..255; limitG and limitBA hold the
// same values shifted into an RGBA word's G byte, and B byte with opaque
// alpha, so that a pixel is assembled with two ORs.
var (
	rangeLimit      [1024]byte
	limitG, limitBA [1024]uint32
)

func init() {
	for i := 0; i < 256; i++ {
		x := int32(i - 128)
		crR[i] = (fix16(1.40200)*x + oneHalf) >> scaleBits
		cbB[i] = (fix16(1.77200)*x + oneHalf) >> scaleBits
		crG[i] = -fix16(0.71414) * x
		cbG[i] = -fix16(0.34414)*x + oneHalf
		ctab.crRb[i] = crR[i] + limitBias
		ctab.cbBb[i] = cbB[i] + limitBias
		ctab.cbGb[i] = cbG[i] + limitBias<<scaleBits
		ctab.crG[i] = crG[i]
	}
	for i := range rangeLimit {
		v := clampByte(int32(i - limitBias))
		rangeLimit[i] = v
		ctab.limitR[i] = uint32(v)
		ctab.limitG[i] = uint32(v) << 8
		ctab.limitBA[i] = uint32(v)<<16 | 0xff000000
	}
}

// colorSpace decides how to interpret the components, with libjpeg's rules
// (jdapimin.c default_decompress_parms).
func (d *decoder) colorSpace() colorSpace {
	switch d.ncomp {
	case 1:
		return csGray
	case 3:
		if d.jfif {
			return csYCbCr
		}
		if d.adobe {
			if d.adobeTransform == 0 {
				return csRGB
			}
			return csYCbCr
		}
		c0, c1, c2 := d.comp[0].id, d.comp[1].id, d.comp[2].id
		if c0 == 'R' && c1 == 'G' && c2 == 'B' {
			return csRGB
		}
		return csYCbCr
	default:
		if d.adobe && d.adobeTransform != 0 {
			return csYCCK
		}
		return csCMYK
	}
}

func clampByte(v int32) byte {
	return byte(min(max(v, 0), 255))
}

// ycbcrToRGBA converts n pixels to RGBA bytes.
func ycbcrToRGBA(dst, y, cb, cr []byte, n int) {
	ycbcrToRGBATab(&ctab, dst, y, cb, cr, n)
}

// pixel converts one YCbCr sample triple to an opaque RGBA word.
func (t *colorTables) pixel(y, b, r byte) uint32 {
	v := int32(y)
	return t.limitR[(v+t.crRb[r])&1023] |
		t.limitG[(v+(t.cbGb[b]+t.crG[r])>>scaleBits)&1023] |
		t.limitBA[(v+t.cbBb[b])&1023]
}

// ycbcrToRGBATab takes the tables as a parameter so that the compiler keeps
// their address in a register.
func ycbcrToRGBATab(t *colorTables, dst, y, cb, cr []byte, n int) {
	dst = dst[:4*n]
	y, cb, cr = y[:n], cb[:n], cr[:n]
	// Four pixels a step, so that the loop's bookkeeping is shared.
	for len(y) >= 4 && len(cb) >= 4 && len(cr) >= 4 && len(dst) >= 16 {
		yy, bb, rr, d := y[:4:4], cb[:4:4], cr[:4:4], dst[:16:16]
		binary.LittleEndian.PutUint32(d[0:4], t.pixel(yy[0], bb[0], rr[0]))
		binary.LittleEndian.PutUint32(d[4:8], t.pixel(yy[1], bb[1], rr[1]))
		binary.LittleEndian.PutUint32(d[8:12], t.pixel(yy[2], bb[2], rr[2]))
		binary.LittleEndian.PutUint32(d[12:16], t.pixel(yy[3], bb[3], rr[3]))
		y, cb, cr, dst = y[4:], cb[4:], cr[4:], dst[16:]
	}
	for i := range y {
		yy := int32(y[i])
		b, r := cb[i], cr[i]
		px := t.limitR[(yy+t.crRb[r])&1023] |
			t.limitG[(yy+(t.cbGb[b]+t.crG[r])>>scaleBits)&1023] |
			t.limitBA[(yy+t.cbBb[b])&1023]
		binary.LittleEndian.PutUint32(dst[4*i:4*i+4], px)
	}
}

func rgbToRGBA(dst, r, g, b []byte, n int) {
	dst = dst[:4*n]
	r, g, b = r[:n], g[:n], b[:n]
	for i := 0; i < n; i++ {
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = r[i], g[i], b[i], 255
	}
}

// cmykMul is djpeg's CMYK to RGB rule for PPM output: round(x·k/255) on the
// stored values (which Adobe files keep inverted, so this is the usual
// (1−C)(1−K)).
func cmykMul(x, k byte) byte {
	return byte((2*int(x)*int(k) + 255) / 510)
}

func cmykToRGBA(dst, c, m, yy, k []byte, n int) {
	dst = dst[:4*n]
	c, m, yy, k = c[:n], m[:n], yy[:n], k[:n]
	for i := 0; i < n; i++ {
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = cmykMul(c[i], k[i]), cmykMul(m[i], k[i]), cmykMul(yy[i], k[i]), 255
	}
}

// ycckToRGBA converts YCCK to CMYK as libjpeg does (C = 255 − R from the
// YCbCr formulas, likewise M and Y; K unchanged), then to RGB as cmykToRGBA.
func ycckToRGBA(dst, y, cb, cr, k []byte, n int) {
	dst = dst[:4*n]
	y, cb, cr, k = y[:n], cb[:n], cr[:n], k[:n]
	for i := 0; i < n; i++ {
		yy := int32(y[i])
		b, r := cb[i], cr[i]
		c := clampByte(255 - (yy + crR[r]))
		m := clampByte(255 - (yy + (cbG[b]+crG[r])>>scaleBits))
		ye := clampByte(255 - (yy + cbB[b]))
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = cmykMul(c, k[i]), cmykMul(m, k[i]), cmykMul(ye, k[i]), 255
	}
}

// ycbcrGatherToRGBA is ycbcrToRGBATab with the luminance of pixel i taken
// from y[ya[i]].
func ycbcrGatherToRGBA(t *colorTables, dst, y []byte, ya []int32, cb, cr []byte) {
	n := len(ya)
	dst = dst[:4*n]
	cb, cr = cb[:n], cr[:n]
	for len(ya) >= 4 && len(cb) >= 4 && len(cr) >= 4 && len(dst) >= 16 {
		a, bb, rr, d := ya[:4:4], cb[:4:4], cr[:4:4], dst[:16:16]
		binary.LittleEndian.PutUint32(d[0:4], t.pixel(y[a[0]], bb[0], rr[0]))
		binary.LittleEndian.PutUint32(d[4:8], t.pixel(y[a[1]], bb[1], rr[1]))
		binary.LittleEndian.PutUint32(d[8:12], t.pixel(y[a[2]], bb[2], rr[2]))
		binary.LittleEndian.PutUint32(d[12:16], t.pixel(y[a[3]], bb[3], rr[3]))
		ya, cb, cr, dst = ya[4:], cb[4:], cr[4:], dst[16:]
	}
	for i, j := range ya {
		yy := int32(y[j])
		b, r := cb[i], cr[i]
		px := t.limitR[(yy+t.crRb[r])&1023] |
			t.limitG[(yy+(t.cbGb[b]+t.crG[r])>>scaleBits)&1023] |
			t.limitBA[(yy+t.cbBb[b])&1023]
		binary.LittleEndian.PutUint32(dst[4*i:4*i+4], px)
	}
}

// ycbcr3GatherToRGBA is ycbcrToRGBATab on the samples at columns ya[i] of
// three rows.
func ycbcr3GatherToRGBA(t *colorTables, dst, y, cb, cr []byte, ya []int32) {
	dst = dst[:4*len(ya)]
	cb, cr = cb[:len(y)], cr[:len(y)]
	for len(ya) >= 4 && len(dst) >= 16 {
		a, d := ya[:4:4], dst[:16:16]
		binary.LittleEndian.PutUint32(d[0:4], t.pixel(y[a[0]], cb[a[0]], cr[a[0]]))
		binary.LittleEndian.PutUint32(d[4:8], t.pixel(y[a[1]], cb[a[1]], cr[a[1]]))
		binary.LittleEndian.PutUint32(d[8:12], t.pixel(y[a[2]], cb[a[2]], cr[a[2]]))
		binary.LittleEndian.PutUint32(d[12:16], t.pixel(y[a[3]], cb[a[3]], cr[a[3]]))
		ya, dst = ya[4:], dst[16:]
	}
	for i, j := range ya {
		binary.LittleEndian.PutUint32(dst[4*i:4*i+4], t.pixel(y[j], cb[j], cr[j]))
	}
}
