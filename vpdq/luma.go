package vpdq

// The reference's luminance coefficients, in single precision.
var (
	lumaR = float32(0.299)
	lumaG = float32(0.587)
	lumaB = float32(0.114)
)

// lumaTables hold each coefficient times each 8-bit value, rounded to
// float32 exactly as the reference's per-pixel product is, so that a lookup
// gives the reference's value bit for bit.
var lumaTables = func() (t [3][256]float32) {
	for v := range 256 {
		t[0][v] = float32(lumaR * float32(v))
		t[1][v] = float32(lumaG * float32(v))
		t[2][v] = float32(lumaB * float32(v))
	}
	return t
}()

// rgbToLuma converts packed RGB24 to float luma, R·0.299 + G·0.587 +
// B·0.114 summed left to right in float32, as the reference's
// fillFloatLumaFromRGB does.
func rgbToLuma(rgb []byte, luma []float32) {
	tr, tg, tb := &lumaTables[0], &lumaTables[1], &lumaTables[2]
	luma = luma[:len(rgb)/3]
	for i := range luma {
		p := rgb[3*i : 3*i+3 : 3*i+3]
		luma[i] = float32(tr[p[0]]+tg[p[1]]) + tb[p[2]]
	}
}
