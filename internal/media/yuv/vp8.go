// Package yuv converts decoded Y'CbCr planes to RGB with the arithmetic of
// the libraries that the field's reference hashes were made with, where it
// differs from Go's image/color.
//
// WebP's lossy codec (VP8) stores BT.601 limited-range Y'CbCr at 4:2:0.
// golang.org/x/image/webp returns those planes as an image.YCbCr, whose At
// method converts them as full-range JFIF with nearest-neighbour chroma.
// libwebp, which ImageMagick and so Meta's PDQ reference decode WebP with,
// converts limited range in 14-bit fixed point and interpolates chroma
// ("fancy upsampling"). The difference moves PDQ hashes of large WebPs by up
// to 12 bits; converting as libwebp does removes it.
package yuv

import "image"

// VP8ToNRGBA converts a 4:2:0 image as libwebp's default RGBA output does
// (src/dsp/yuv.h and the fancy upsampler of src/dsp/upsampling.c). Alpha,
// when m is an *image.NYCbCrA, is copied unchanged. Images that are not
// 4:2:0 are returned as nil.
func VP8ToNRGBA(img image.Image) *image.NRGBA {
	var m *image.YCbCr
	var alpha []uint8
	var alphaStride int
	switch t := img.(type) {
	case *image.YCbCr:
		m = t
	case *image.NYCbCrA:
		m, alpha, alphaStride = &t.YCbCr, t.A, t.AStride
	default:
		return nil
	}
	if m.SubsampleRatio != image.YCbCrSubsampleRatio420 {
		return nil
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	chromaRow := func(r int) (u, v []uint8) {
		o := m.COffset(m.Rect.Min.X, m.Rect.Min.Y+2*r)
		cw := (w + 1) / 2
		return m.Cb[o : o+cw], m.Cr[o : o+cw]
	}
	for y := 0; y < h; y++ {
		// Luma row y sits between chroma rows; the nearer one weighs 3/4.
		// The first row, and the last row of an even height, have only one.
		near, far := y/2, y/2-1 // even rows lie below their nearer chroma row
		if y&1 == 1 {
			near, far = (y-1)/2, (y+1)/2
		}
		if y == 0 || far > (h-1)/2 {
			far = near
		}
		nu, nv := chromaRow(near)
		fu, fv := chromaRow(far)
		yo := m.YOffset(m.Rect.Min.X, m.Rect.Min.Y+y)
		dst := out.Pix[y*out.Stride : y*out.Stride+4*w]
		upsampleRow(m.Y[yo:yo+w], nu, nv, fu, fv, dst)
		if alpha != nil {
			a := alpha[y*alphaStride:]
			for x := 0; x < w; x++ {
				dst[4*x+3] = a[x]
			}
		}
	}
	return out
}

// upsampleRow converts one row of luma with chroma interpolated between the
// near and far chroma rows: weights 9/16, 3/16, 3/16, 1/16 inside, 3/4 and
// 1/4 at the left and right edges, rounded as libwebp rounds.
func upsampleRow(luma, nu, nv, fu, fv []uint8, dst []uint8) {
	n := len(luma)
	put := func(x int, u, v int) {
		y := int(luma[x])
		d := dst[4*x : 4*x+4]
		d[0] = clip8(multHi(y, 19077) + multHi(v, 26149) - 14234)
		d[1] = clip8(multHi(y, 19077) - multHi(u, 6419) - multHi(v, 13320) + 8708)
		d[2] = clip8(multHi(y, 19077) + multHi(u, 33050) - 17685)
		d[3] = 0xff
	}
	edge := func(near, far uint8) int { return (3*int(near) + int(far) + 2) >> 2 }
	put(0, edge(nu[0], fu[0]), edge(nv[0], fv[0]))
	last := (n - 1) >> 1
	for x := 1; x <= last; x++ {
		a, b := inner(nu[x-1], nu[x], fu[x-1], fu[x])
		c, d := inner(nv[x-1], nv[x], fv[x-1], fv[x])
		put(2*x-1, a, c)
		put(2*x, b, d)
	}
	if n&1 == 0 {
		put(n-1, edge(nu[last], fu[last]), edge(nv[last], fv[last]))
	}
}

// inner interpolates the two luma columns between chroma columns x-1 and x:
// nl, nr from the near row, fl, fr from the far row.
func inner(nl, nr, fl, fr uint8) (left, right int) {
	avg := int(nl) + int(nr) + int(fl) + int(fr) + 8
	d1 := (avg + 2*(int(nr)+int(fl))) >> 3
	d2 := (avg + 2*(int(nl)+int(fr))) >> 3
	return (d1 + int(nl)) >> 1, (d2 + int(nr)) >> 1
}

func multHi(v, coeff int) int { return (v * coeff) >> 8 }

// clip8 takes a value with 6 fractional bits to 0..255.
func clip8(v int) uint8 {
	if v&^(256<<6-1) == 0 {
		return uint8(v >> 6)
	}
	if v < 0 {
		return 0
	}
	return 255
}
