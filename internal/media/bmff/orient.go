package bmff

// mat is a 2x2 integer matrix acting on pixel coordinates (x right, y down),
// mapping stored positions to displayed ones. The eight EXIF orientations and
// all irot/imir combinations are such matrices with entries in {-1, 0, 1}.
type mat [2][2]int

var identity = mat{{1, 0}, {0, 1}}

func (a mat) mul(b mat) mat {
	var m mat
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			m[i][j] = a[i][0]*b[0][j] + a[i][1]*b[1][j]
		}
	}
	return m
}

// exifMatrix[o] is the display transform of EXIF orientation o.
var exifMatrix = [9]mat{
	1: identity,
	2: {{-1, 0}, {0, 1}},  // mirror left-right
	3: {{-1, 0}, {0, -1}}, // rotate 180
	4: {{1, 0}, {0, -1}},  // mirror top-bottom
	5: {{0, 1}, {1, 0}},   // transpose
	6: {{0, -1}, {1, 0}},  // rotate 90 clockwise
	7: {{0, -1}, {-1, 0}}, // transverse
	8: {{0, 1}, {-1, 0}},  // rotate 90 anticlockwise
}

func (t Transform) matrix() mat {
	switch t.Mirror {
	case 0:
		return exifMatrix[4]
	case 1:
		return exifMatrix[2]
	}
	m := identity
	for i := 0; i < t.Rotate&3; i++ {
		m = exifMatrix[8].mul(m)
	}
	return m
}
