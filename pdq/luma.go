package pdq

import (
	"image"
	"image/color"
)

// luma fills h.buf1 with the luminance of img after the reference's
// pre-resize and returns the dimensions used. Only the pixels that
// nearest-neighbour resampling picks are read, so a 24-megapixel photo costs
// 512×512 conversions.
func (h *Hasher) luma(img image.Image) (w, ht int) {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	w, ht = sw, sh
	if sw > resizeDim || sh > resizeDim {
		// CImg's resize(512, 512) with its default nearest-neighbour
		// interpolation: both axes, aspect ratio not kept.
		w, ht = resizeDim, resizeDim
	}
	out := grow(&h.buf1, w*ht)
	if w == sw && ht == sh {
		if pix, stride, ok := rgba8Pix(img); ok {
			// No resize: whole rows in order, the common case for small
			// images, without the per-pixel column index.
			for y := 0; y < ht; y++ {
				rgba8LumaRow(&lumaTab, pix[y*stride:], out[y*w:(y+1)*w])
			}
			return w, ht
		}
	}
	xs := make([]int, w)
	for x := range xs {
		xs[x] = x * sw / w
	}
	row := rowConverter(img)
	for y := 0; y < ht; y++ {
		row(y*sh/ht, xs, out[y*w:(y+1)*w])
	}
	return w, ht
}

// rgbLuma is the reference's luminance: float products summed left to right.
func rgbLuma(r, g, b uint8) float32 {
	return float32(float32(lumaR*float32(r))+float32(lumaG*float32(g))) + float32(lumaB*float32(b))
}

// lumaTables holds the three products of rgbLuma for every byte value, so
// that a pixel costs three loads and the reference's two additions, with the
// same roundings (each product is rounded to float32 before the sum in
// rgbLuma too).
type lumaTables struct {
	r, g, b [256]float32
}

var lumaTab = func() (t lumaTables) {
	for i := range 256 {
		t.r[i] = float32(lumaR * float32(i))
		t.g[i] = float32(lumaG * float32(i))
		t.b[i] = float32(lumaB * float32(i))
	}
	return t
}()

// rgba8Pix returns the pixels of 4-byte RGBA-style images.
func rgba8Pix(img image.Image) ([]uint8, int, bool) {
	switch m := img.(type) {
	case *image.RGBA:
		return m.Pix, m.Stride, true
	case *image.NRGBA:
		return m.Pix, m.Stride, true
	}
	return nil, 0, false
}

// rgba8LumaRow converts len(out) consecutive 4-byte pixels; alpha is ignored.
// It is not inlined so that the tables' address stays in a register, and it
// walks px by reslicing so that one length check covers four pixels.
//
//go:noinline
func rgba8LumaRow(t *lumaTables, px []uint8, out []float32) {
	px = px[:4*len(out)]
	// Four pixels a step, so that the loop's bookkeeping is shared.
	for len(out) >= 4 && len(px) >= 16 {
		p, o := px[:16:16], out[:4:4]
		o[0] = t.r[p[0]] + t.g[p[1]] + t.b[p[2]]
		o[1] = t.r[p[4]] + t.g[p[5]] + t.b[p[6]]
		o[2] = t.r[p[8]] + t.g[p[9]] + t.b[p[10]]
		o[3] = t.r[p[12]] + t.g[p[13]] + t.b[p[14]]
		px, out = px[16:], out[4:]
	}
	for i := range out {
		if len(px) < 4 {
			return
		}
		out[i] = t.r[px[0]] + t.g[px[1]] + t.b[px[2]]
		px = px[4:]
	}
}

// to8 reduces a 16-bit sample to 8 bits as ImageMagick's `-depth 8` does
// (truncating v·255/65535), which is how the shared corpus made its 8-bit
// reference values. The reference's own 16-bit handling keeps only the low
// byte, an artefact we do not reproduce (see docs/pdq.md).
func to8(v uint16) uint8 { return uint8(v / 257) }

// rowConverter returns a function that converts the pixels of source row y
// at columns xs, both relative to the image's bounds. One-channel images give their grey value directly, as in
// the reference, which treats them apart from RGB.
func rowConverter(img image.Image) func(y int, xs []int, out []float32) {
	switch m := img.(type) {
	case *image.Gray:
		return func(y int, xs []int, out []float32) {
			row := m.Pix[y*m.Stride:]
			for i, x := range xs {
				out[i] = float32(row[x])
			}
		}
	case *image.Gray16:
		return func(y int, xs []int, out []float32) {
			row := m.Pix[y*m.Stride:]
			for i, x := range xs {
				out[i] = float32(to8(uint16(row[2*x])<<8 | uint16(row[2*x+1])))
			}
		}
	case *image.YCbCr:
		return func(y int, xs []int, out []float32) {
			for i, x := range xs {
				ax, ay := m.Rect.Min.X+x, m.Rect.Min.Y+y
				yi, ci := m.YOffset(ax, ay), m.COffset(ax, ay)
				r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				out[i] = rgbLuma(r, g, b)
			}
		}
	case *image.NRGBA:
		return rgba8Rows(m.Pix, m.Stride)
	case *image.RGBA:
		return rgba8Rows(m.Pix, m.Stride)
	case *image.NRGBA64:
		return rgba16Rows(m.Pix, m.Stride)
	case *image.RGBA64:
		return rgba16Rows(m.Pix, m.Stride)
	case *image.Paletted:
		pal := paletteLuma(m.Palette)
		return func(y int, xs []int, out []float32) {
			row := m.Pix[y*m.Stride:]
			for i, x := range xs {
				out[i] = pal[row[x]]
			}
		}
	case *image.CMYK:
		return func(y int, xs []int, out []float32) {
			row := m.Pix[y*m.Stride:]
			for i, x := range xs {
				p := row[4*x : 4*x+4]
				r, g, b := color.CMYKToRGB(p[0], p[1], p[2], p[3])
				out[i] = rgbLuma(r, g, b)
			}
		}
	}
	gray := img.ColorModel() == color.GrayModel || img.ColorModel() == color.Gray16Model
	min := img.Bounds().Min
	return func(y int, xs []int, out []float32) {
		for i, x := range xs {
			c := color.NRGBA64Model.Convert(img.At(min.X+x, min.Y+y)).(color.NRGBA64)
			if gray {
				out[i] = float32(to8(c.R))
			} else {
				out[i] = rgbLuma(to8(c.R), to8(c.G), to8(c.B))
			}
		}
	}
}

// rgba8Rows handles 4-byte RGBA-style pixels; alpha is ignored.
func rgba8Rows(pix []uint8, stride int) func(y int, xs []int, out []float32) {
	t := &lumaTab
	return func(y int, xs []int, out []float32) {
		row := pix[y*stride:]
		xs = xs[:len(out)]
		for i, x := range xs {
			p := row[4*x : 4*x+3 : 4*x+3]
			out[i] = t.r[p[0]] + t.g[p[1]] + t.b[p[2]]
		}
	}
}

// rgba16Rows handles 8-byte big-endian RGBA pixels; alpha is ignored.
func rgba16Rows(pix []uint8, stride int) func(y int, xs []int, out []float32) {
	return func(y int, xs []int, out []float32) {
		row := pix[y*stride:]
		for i, x := range xs {
			p := row[8*x : 8*x+6]
			out[i] = rgbLuma(to8(uint16(p[0])<<8|uint16(p[1])), to8(uint16(p[2])<<8|uint16(p[3])), to8(uint16(p[4])<<8|uint16(p[5])))
		}
	}
}

// paletteLuma converts a palette to luminance from each entry's stored
// (non-premultiplied) colour, padded to 256 entries so that any index is
// safe; an index past the palette reads black, as image.Paletted.At does.
func paletteLuma(p color.Palette) *[256]float32 {
	var out [256]float32
	for i, c := range p[:min(len(p), 256)] {
		var r, g, b uint8
		switch c := c.(type) {
		case color.NRGBA:
			r, g, b = c.R, c.G, c.B
		case color.RGBA:
			r, g, b = c.R, c.G, c.B
		default:
			n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
			r, g, b = to8(n.R), to8(n.G), to8(n.B)
		}
		out[i] = rgbLuma(r, g, b)
	}
	return &out
}
