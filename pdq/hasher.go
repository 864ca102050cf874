package pdq

import (
	"image"
	"math"
	"slices"
	"sync"
)

// The reference's constants. Every float32 conversion and every evaluation
// order below is the reference's: a different rounding flips bits of hashes
// whose DCT coefficients lie near the median, and each flipped bit comes out
// of the match threshold that hash-list users rely on. Products are wrapped
// in float32() so that no Go compiler fuses them into FMA instructions, which
// the reference (g++ -O3, no -march) does not use.
const (
	resizeDim = PreResizeDim
	// minHashableDim: smaller images get a zero hash and quality 0.
	minHashableDim = 5
	// jaroszPasses is the number of row+column box-filter passes (a tent).
	jaroszPasses = 2
	downDim      = 64
	dctDim       = 16
)

var (
	lumaR = float32(0.299)
	lumaG = float32(0.587)
	lumaB = float32(0.114)
)

// dctMatrix is the 16×64 DCT-II matrix without the DC row: row i holds
// frequency i+1. The reference computes the scale in float, the cosine in
// double, and stores float.
var dctMatrix = func() (d [dctDim * downDim]float32) {
	scale := float32(math.Sqrt(2.0 / downDim))
	for i := 0; i < dctDim; i++ {
		for j := 0; j < downDim; j++ {
			d[i*downDim+j] = float32(float64(scale) * math.Cos((math.Pi/2.0/downDim)*float64(i+1)*float64(2*j+1)))
		}
	}
	return d
}()

// PreResizeDim is the reference pdq-photo-hasher's pre-resize: images larger
// than this on either side are resampled to exactly PreResizeDim×PreResizeDim
// by nearest neighbour before hashing. A decoder that can produce that
// sampling directly (cheaper than decoding every pixel) gives the same hash.
const PreResizeDim = 512

// A Hasher computes PDQ hashes, reusing its buffers between images. It is not
// safe for concurrent use; give each goroutine its own, or use the
// package-level functions, which draw Hashers from a pool.
type Hasher struct {
	buf1, buf2 []float32
	sums       []float32
	want       []bool
	b64        [downDim * downDim]float32
	b16x64     [dctDim * downDim]float32
	b16        [dctDim * dctDim]float32
	aux        [dctDim * dctDim]float32
	median     [dctDim * dctDim]float32
}

// NewHasher returns a Hasher with no buffers allocated yet.
func NewHasher() *Hasher { return new(Hasher) }

var pool = sync.Pool{New: func() any { return NewHasher() }}

// HashImage returns the PDQ hash and quality (0..100) of img.
func HashImage(img image.Image) (Hash, int) {
	h := pool.Get().(*Hasher)
	defer pool.Put(h)
	return h.Hash(img)
}

// DihedralImage returns the hashes of img under the eight rotations and
// flips, and its quality.
func DihedralImage(img image.Image) (Dihedral, int) {
	h := pool.Get().(*Hasher)
	defer pool.Put(h)
	return h.Dihedral(img)
}

// Hash returns the PDQ hash and quality (0..100) of img, as the reference's
// pdq-photo-hasher computes them: images larger than 512 pixels in either
// dimension are first resampled to 512×512 by nearest neighbour. Alpha is
// ignored (the stored colour under transparent pixels is hashed); 16-bit
// samples are reduced to 8 bits by rounding.
func (h *Hasher) Hash(img image.Image) (Hash, int) {
	w, ht := h.luma(img)
	return h.HashLuma(h.buf1[:w*ht], w, ht)
}

// Dihedral returns the hashes of img under the eight dihedral transforms and
// its quality. The transforms are applied to the DCT coefficients, so this
// costs little more than Hash.
func (h *Hasher) Dihedral(img image.Image) (Dihedral, int) {
	w, ht := h.luma(img)
	return h.DihedralLuma(h.buf1[:w*ht], w, ht)
}

// HashLuma hashes a luminance image of w×ht float values in row-major order,
// as the reference's pdqHash256FromFloatLuma does (no pre-resize). It
// overwrites luma. Frame hashers that compute luminance themselves (vPDQ) use
// it directly.
func (h *Hasher) HashLuma(luma []float32, w, ht int) (Hash, int) {
	if w < minHashableDim || ht < minHashableDim {
		return Hash{}, 0
	}
	q := h.dctFromLuma(luma, w, ht)
	return h.bits(&h.b16), q
}

// DihedralLuma is HashLuma for all eight dihedral transforms.
func (h *Hasher) DihedralLuma(luma []float32, w, ht int) (Dihedral, int) {
	var d Dihedral
	if w < minHashableDim || ht < minHashableDim {
		return d, 0
	}
	q := h.dctFromLuma(luma, w, ht)
	for t := Original; t <= FlipMinus1; t++ {
		transformDCT(t, &h.b16, &h.aux)
		d[t] = h.bits(&h.aux)
	}
	return d, q
}

// dctFromLuma blurs and decimates luma to 64×64, computes the quality metric
// there, and leaves the 16×16 DCT in h.b16.
func (h *Hasher) dctFromLuma(luma []float32, w, ht int) int {
	h.downscale(luma, w, ht)
	q := quality(&h.b64)
	dct64To16(&h.b64, &h.b16x64, &h.b16)
	return q
}

// downscale leaves in h.b64 the 64×64 image: luma blurred by the Jarosz
// filter, then sampled at cell centres.
func (h *Hasher) downscale(luma []float32, w, ht int) {
	if w == downDim && ht == downDim {
		// The reference skips the filter for input already 64×64 (video
		// frames that ffmpeg downsampled).
		copy(h.b64[:], luma)
		return
	}
	tmp := grow(&h.buf2, w*ht)
	scratch := grow(&h.sums, max(w, 2*ht, downDim))
	rowWin := jaroszWindow(w, downDim)
	colWin := jaroszWindow(ht, downDim)
	ri, ci := decimationIndex(ht), decimationIndex(w)
	want := h.want[:0]
	for range w {
		want = append(want, false)
	}
	for _, c := range ci {
		want[c] = true
	}
	h.want = want
	for range jaroszPasses - 1 {
		boxRows(luma, tmp, ht, w, rowWin, nil)
		boxCols(tmp, luma, ht, w, colWin, scratch[:w])
	}
	// The last pass: decimation reads 64×64 outputs, so the row filter
	// writes only the 64 columns sampled, and the column filter runs on
	// those alone.
	boxRows(luma, tmp, ht, w, rowWin, want)
	boxColsDecimate(tmp, ht, w, colWin, &ri, &ci, scratch, &h.b64)
}

// decimationIndex returns which of n input rows (or columns) the 64 output
// cells sample: their centres.
func decimationIndex(n int) (idx [downDim]int) {
	for i := range idx {
		idx[i] = int(((float64(i) + 0.5) * float64(n)) / downDim)
	}
	return idx
}

// bits thresholds the coefficients at their median. Ties with the median
// give 0, as in the reference.
func (h *Hasher) bits(c *[dctDim * dctDim]float32) Hash {
	h.median = *c
	slices.Sort(h.median[:])
	// The reference's Torben median returns the lower median: the 128th
	// smallest of 256 values.
	m := h.median[(len(h.median)-1)/2]
	var out Hash
	for k, v := range c {
		if v > m {
			out.setBit(k)
		}
	}
	return out
}

func grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// jaroszWindow is the box width per pass: half of a target cell, rounded up,
// because two passes together cover a whole cell.
func jaroszWindow(oldDim, newDim int) int {
	return (oldDim + 2*newDim - 1) / (2 * newDim)
}

// quality counts significant gradients in the 64×64 image, the reference's
// heuristic: each neighbour difference in percent of full scale, truncated,
// summed, divided by 90 and capped at 100.
func quality(b *[downDim * downDim]float32) int {
	sum := 0
	for i := 0; i < downDim-1; i++ {
		for j := 0; j < downDim; j++ {
			sum += absInt(gradient(b[i*downDim+j], b[(i+1)*downDim+j]))
		}
	}
	for i := 0; i < downDim; i++ {
		for j := 0; j < downDim-1; j++ {
			sum += absInt(gradient(b[i*downDim+j], b[i*downDim+j+1]))
		}
	}
	return min(sum/90, 100)
}

func gradient(u, v float32) int {
	d := float32(u - v)
	return int(float32(float32(d*100) / 255))
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// dct64To16 computes B = D A Dᵀ for the 16 lowest non-DC frequencies, with
// the reference's summation order (k ascending, one rounding per step).
func dct64To16(a *[downDim * downDim]float32, t *[dctDim * downDim]float32, b *[dctDim * dctDim]float32) {
	d := &dctMatrix
	for i := 0; i < dctDim; i++ {
		drow := (*[downDim]float32)(d[i*downDim:])
		trow := (*[downDim]float32)(t[i*downDim:])
		// Four outputs at a time, each summed in a register over k
		// ascending, the reference's order.
		for j := 0; j < downDim; j += 4 {
			var s0, s1, s2, s3 float32
			for k, dk := range drow {
				av := (*[4]float32)(a[k*downDim+j:])
				s0 += float32(dk * av[0])
				s1 += float32(dk * av[1])
				s2 += float32(dk * av[2])
				s3 += float32(dk * av[3])
			}
			trow[j], trow[j+1], trow[j+2], trow[j+3] = s0, s1, s2, s3
		}
	}
	for i := 0; i < dctDim; i++ {
		trow := t[i*downDim : (i+1)*downDim]
		for j := 0; j < dctDim; j++ {
			drow := d[j*downDim : (j+1)*downDim]
			var s float32
			for k, tv := range trow {
				s += float32(tv * drow[k])
			}
			b[i*dctDim+j] = s
		}
	}
}
