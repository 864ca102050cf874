package hamming

import "math"

// dirBlock is the number of buckets sharing one 32-bit base offset in a
// compressed directory.
const dirBlock = 64

// directory maps a bucket v to its entries off(v)..off(v+1)-1. It stores
// a 32-bit offset per block of 64 buckets and a 16-bit offset within the
// block per bucket: 2.06 bytes a bucket instead of 4, which pays for
// wider entries. A directory whose block holds 65536 entries or more (a
// mass of near-identical hashes) keeps plain 32-bit offsets instead.
type directory struct {
	base []uint32 // per block, and one past the last
	rel  []uint16 // per bucket, and one past the last
	full []uint32 // plain offsets, when rel cannot hold them
}

// dirBytes is the memory of a directory of 2^d buckets (compressed).
func dirBytes(d uint) float64 {
	return 2*float64(uint64(1)<<d+1) + 4*float64(uint64(1)<<d/dirBlock+1)
}

// newDirectory compresses off (2^d+1 ascending offsets). It keeps off
// itself when compression is impossible.
func newDirectory(off []uint32) directory {
	nb := (len(off)-1)/dirBlock + 1
	for b := range nb {
		end := min((b+1)*dirBlock, len(off)-1)
		if off[end]-off[b*dirBlock] > math.MaxUint16 {
			return directory{full: off}
		}
	}
	dir := directory{base: make([]uint32, nb+1), rel: makeHuge[uint16](len(off))}
	for b := range nb {
		dir.base[b] = off[b*dirBlock]
	}
	dir.base[nb] = off[len(off)-1]
	for v, o := range off {
		dir.rel[v] = uint16(o - dir.base[v/dirBlock])
	}
	return dir
}

// bounds returns the entry range of bucket v.
func (d *directory) bounds(v uint32) (lo, hi uint32) {
	if d.full != nil {
		return d.full[v], d.full[v+1]
	}
	return d.base[v/dirBlock] + uint32(d.rel[v]), d.base[(v+1)/dirBlock] + uint32(d.rel[v+1])
}

// offsets returns the plain offsets (for snapshots).
func (d *directory) offsets() []uint32 {
	if d.full != nil {
		return d.full
	}
	off := make([]uint32, len(d.rel))
	for v := range off {
		off[v] = d.base[v/dirBlock] + uint32(d.rel[v])
	}
	return off
}
