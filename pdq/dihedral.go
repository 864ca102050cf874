package pdq

// Transform names one of the eight rotations and flips of a square.
type Transform int

// The transforms, in the order and with the names of the reference's
// --pdqdih-across output. Rotate90 turns the picture 90° counter-clockwise;
// FlipX mirrors top↔bottom, FlipY left↔right; FlipPlus1 and FlipMinus1 flip
// about the main and the anti diagonal.
const (
	Original Transform = iota
	Rotate90
	Rotate180
	Rotate270
	FlipX
	FlipY
	FlipPlus1
	FlipMinus1
)

var transformNames = [...]string{"orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm"}

// String returns the reference's short name: orig, rot90, rot180, rot270,
// flipx, flipy, flipp or flipm.
func (t Transform) String() string {
	if t < 0 || int(t) >= len(transformNames) {
		return "invalid"
	}
	return transformNames[t]
}

// Dihedral holds the hashes of one image under every Transform, indexed by
// Transform.
type Dihedral [8]Hash

// transformDCT maps the DCT of an image to the DCT of its transformed image.
// A flip negates the odd frequencies along its axis (the matrix row i holds
// frequency i+1, so "odd" is even i); a rotation or diagonal flip transposes.
func transformDCT(t Transform, a, b *[dctDim * dctDim]float32) {
	for i := 0; i < dctDim; i++ {
		for j := 0; j < dctDim; j++ {
			v := a[i*dctDim+j]
			var neg, transpose bool
			switch t {
			case Rotate90:
				neg, transpose = j&1 == 0, true
			case Rotate180:
				neg = (i+j)&1 == 1
			case Rotate270:
				neg, transpose = i&1 == 0, true
			case FlipX:
				neg = i&1 == 0
			case FlipY:
				neg = j&1 == 0
			case FlipPlus1:
				transpose = true
			case FlipMinus1:
				neg, transpose = (i+j)&1 == 1, true
			}
			if neg {
				v = -v
			}
			if transpose {
				b[j*dctDim+i] = v
			} else {
				b[i*dctDim+j] = v
			}
		}
	}
}
