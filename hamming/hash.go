package hamming

import (
	"encoding/binary"
	"math/bits"
)

// Hash is a 256-bit hash in PDQ text order: the 64-hex-digit text form of a
// PDQ hash is the hex encoding of these 32 bytes.
type Hash = [32]byte

// Match is one search result.
type Match struct {
	ID       uint64
	Distance int
}

// Entry is an (id, hash) pair, as given to AddBatch and stored in snapshots.
type Entry struct {
	ID   uint64
	Hash Hash
}

// Distance returns the Hamming distance between a and b (0..256).
func Distance(a, b Hash) int {
	wa, wb := toWords(&a), toWords(&b)
	return dist(&wa, &wb)
}

// words is the internal form of a hash: four little-endian 64-bit words.
// Bit j of the 256-bit ring is bit j%64 of word j/64, i.e. bit j%8
// (least significant first) of byte j/8. Hamming distance does not depend
// on this order; substring extraction does, and this order is what makes
// it a couple of shifts.
type words [4]uint64

func toWords(h *Hash) words {
	return words{
		binary.LittleEndian.Uint64(h[0:8]),
		binary.LittleEndian.Uint64(h[8:16]),
		binary.LittleEndian.Uint64(h[16:24]),
		binary.LittleEndian.Uint64(h[24:32]),
	}
}

func (w *words) hash() Hash {
	var h Hash
	binary.LittleEndian.PutUint64(h[0:8], w[0])
	binary.LittleEndian.PutUint64(h[8:16], w[1])
	binary.LittleEndian.PutUint64(h[16:24], w[2])
	binary.LittleEndian.PutUint64(h[24:32], w[3])
	return h
}

func dist(a, b *words) int {
	return bits.OnesCount64(a[0]^b[0]) + bits.OnesCount64(a[1]^b[1]) +
		bits.OnesCount64(a[2]^b[2]) + bits.OnesCount64(a[3]^b[3])
}

// bitsAt returns n (<= 32) bits of w starting at bit start of the 256-bit
// ring; a range running past bit 255 wraps to bit 0.
func bitsAt(w *words, start, n uint) uint32 {
	start &= 255
	k := start >> 6
	o := start & 63
	v := w[k] >> o
	if o+n > 64 {
		v |= w[(k+1)&3] << (64 - o)
	}
	return uint32(v) & (uint32(1)<<n - 1)
}

// bitsAt64 is bitsAt for n <= 64 bits.
func bitsAt64(w *words, start, n uint) uint64 {
	start &= 255
	k := start >> 6
	o := start & 63
	v := w[k] >> o
	if o > 0 {
		v |= w[(k+1)&3] << (64 - o)
	}
	if n < 64 {
		v &= uint64(1)<<n - 1
	}
	return v
}
