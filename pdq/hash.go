// Package pdq computes Meta's PDQ perceptual hash of images, bit for bit as
// the C++ reference (facebook/ThreatExchange pdq/cpp) does, and compares
// hashes.
//
// PDQ turns an image into 256 bits such that visually similar images have
// hashes a small Hamming distance apart. Hash lists shared across the field
// (NCMEC, StopNCII, ThreatExchange, HMA banks) hold hashes made by the C++
// reference, so this package follows it exactly: the nearest-neighbour
// pre-resize to 512×512 that the reference's pdq-photo-hasher applies, float
// luminance, two passes of the Jarosz box filter, 64×64 decimation, a 16×16
// DCT and a median threshold. See docs/pdq.md in the Haven repository for the
// reference behaviours this package reproduces and how it is tested.
//
// The package depends on the standard library only, so other Go projects may
// import it.
package pdq

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/bits"
)

// Size is the length of a hash in bytes.
const Size = 32

// DefaultMatchThreshold is the largest Hamming distance at which two hashes
// are taken to show the same picture: ThreatExchange's recommended threshold.
const DefaultMatchThreshold = 31

// QualityThreshold is the quality below which a hash is unreliable: flat or
// featureless images whose bits flip under tiny changes. Such hashes should
// be flagged, not matched silently.
const QualityThreshold = 50

// Hash is a 256-bit PDQ hash. Its bytes are in the order of the reference's
// text form: the hex encoding of the array is the hash's text. Bit k of the
// reference's Hash256 (k = 16*row + column of the 16×16 DCT) is bit k&7 of
// byte 31-k/8, so the array reads as one big-endian 256-bit number.
type Hash [Size]byte

// ErrSyntax reports text that is not a PDQ hash.
var ErrSyntax = errors.New("pdq: invalid hash")

// Parse reads a hash in its text form: 64 hexadecimal digits, either case.
// The error names the offending position so that a bad line in a hash list
// can be found.
func Parse(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*Size {
		return h, fmt.Errorf("%w: want %d hex digits, got %d characters", ErrSyntax, 2*Size, len(s))
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return h, fmt.Errorf("%w: character %d (%q) is not a hex digit", ErrSyntax, i+1, s[i])
		}
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	return h, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// String returns the hash as 64 lowercase hex digits, the field's text form.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText implements encoding.TextMarshaler.
func (h Hash) MarshalText() ([]byte, error) {
	b := make([]byte, 2*Size)
	hex.Encode(b, h[:])
	return b, nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// IsZero reports whether every bit is clear, as for images too small to hash.
func (h Hash) IsZero() bool { return h == Hash{} }

// Distance returns the Hamming distance between two hashes, 0 to 256.
func Distance(a, b Hash) int {
	n := 0
	for i := 0; i < Size; i += 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]))
	}
	return n
}

// Bit reports bit k (0..255) in the reference's numbering.
func (h Hash) Bit(k int) bool { return h[31-k>>3]>>(k&7)&1 == 1 }

func (h *Hash) setBit(k int) { h[31-k>>3] |= 1 << (k & 7) }
