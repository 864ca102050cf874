package hamming

import (
	"math"
	"slices"
)

// idList holds a segment's ids in ascending order: as uint32 when all fit
// (4 bytes an id — database row ids nearly always do), else as uint64.
type idList struct {
	narrow []uint32
	wide   []uint64
}

// newIDList takes ids (ascending), keeping them if any needs 64 bits.
func newIDList(ids []uint64) idList {
	if len(ids) == 0 || ids[len(ids)-1] > math.MaxUint32 {
		return idList{wide: ids}
	}
	n := makeHuge[uint32](len(ids))
	for i, id := range ids {
		n[i] = uint32(id)
	}
	return idList{narrow: n}
}

func (l *idList) len() int { return len(l.narrow) + len(l.wide) }

func (l *idList) at(p int) uint64 {
	if l.wide != nil {
		return l.wide[p]
	}
	return uint64(l.narrow[p])
}

// find returns the position of id, or -1.
func (l *idList) find(id uint64) int {
	var p int
	var ok bool
	if l.wide != nil {
		p, ok = slices.BinarySearch(l.wide, id)
	} else if id <= math.MaxUint32 {
		p, ok = slices.BinarySearch(l.narrow, uint32(id))
	}
	if !ok {
		return -1
	}
	return p
}

func (l *idList) bytes() int {
	if l.wide != nil {
		return 8
	}
	return 4
}
