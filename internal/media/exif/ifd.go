package exif

import (
	"encoding/binary"
	"fmt"
	"math"
)

// TIFF field types (TIFF 6.0 section 2, plus the EXIF additions).
const (
	typeByte      = 1
	typeASCII     = 2
	typeShort     = 3
	typeLong      = 4
	typeRational  = 5
	typeSByte     = 6
	typeUndefined = 7
	typeSShort    = 8
	typeSLong     = 9
	typeSRational = 10
	typeFloat     = 11
	typeDouble    = 12
)

// typeSize is the size in bytes of one value of each field type; 0 for unknown types.
func typeSize(t uint16) int {
	switch t {
	case typeByte, typeASCII, typeSByte, typeUndefined:
		return 1
	case typeShort, typeSShort:
		return 2
	case typeLong, typeSLong, typeFloat:
		return 4
	case typeRational, typeSRational, typeDouble:
		return 8
	}
	return 0
}

// entry is one IFD field whose value bytes have been located and bounds-checked.
type entry struct {
	tag   uint16
	typ   uint16
	count uint32
	val   []byte // count*typeSize bytes, inside the TIFF data
}

// reader walks IFDs inside one TIFF structure. It never reads outside buf and
// refuses to visit an IFD offset twice, so IFD chains and pointers cannot loop.
type reader struct {
	buf     []byte
	order   binary.ByteOrder
	visited map[uint32]bool
}

// newReader checks the 8-byte TIFF header and returns a reader and the offset of IFD0.
func newReader(buf []byte) (*reader, uint32, error) {
	if len(buf) < 8 {
		return nil, 0, fmt.Errorf("%w: %d bytes is too short for a TIFF header", ErrFormat, len(buf))
	}
	var order binary.ByteOrder
	switch string(buf[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return nil, 0, fmt.Errorf("%w: bad byte-order mark %q", ErrFormat, buf[:2])
	}
	if order.Uint16(buf[2:]) != 42 {
		return nil, 0, fmt.Errorf("%w: bad TIFF magic number", ErrFormat)
	}
	return &reader{buf: buf, order: order, visited: map[uint32]bool{}}, order.Uint32(buf[4:]), nil
}

// readIFD returns the entries of the IFD at off and the offset of the next IFD
// in the chain (0 when none). Entries whose values lie outside the data or whose
// type is unknown are skipped, not fatal: cameras write odd maker fields.
func (r *reader) readIFD(off uint32) ([]entry, uint32, error) {
	if off == 0 {
		return nil, 0, fmt.Errorf("%w: null IFD offset", ErrFormat)
	}
	if r.visited[off] {
		return nil, 0, fmt.Errorf("%w: IFD at offset %d visited twice (loop)", ErrFormat, off)
	}
	if len(r.visited) >= maxIFDs {
		return nil, 0, fmt.Errorf("%w: more than %d IFDs", ErrFormat, maxIFDs)
	}
	r.visited[off] = true
	if uint64(off)+2 > uint64(len(r.buf)) {
		return nil, 0, fmt.Errorf("%w: IFD offset %d outside %d bytes", ErrFormat, off, len(r.buf))
	}
	n := int(r.order.Uint16(r.buf[off:]))
	if n > maxEntries {
		return nil, 0, fmt.Errorf("%w: IFD at %d has %d entries (limit %d)", ErrFormat, off, n, maxEntries)
	}
	start := uint64(off) + 2
	end := start + uint64(n)*12
	if end > uint64(len(r.buf)) {
		return nil, 0, fmt.Errorf("%w: IFD at %d with %d entries runs past the end", ErrFormat, off, n)
	}
	entries := make([]entry, 0, n)
	for p := start; p < end; p += 12 {
		if e, ok := r.entryAt(int(p)); ok {
			entries = append(entries, e)
		}
	}
	var next uint32
	if end+4 <= uint64(len(r.buf)) {
		next = r.order.Uint32(r.buf[end:])
	}
	return entries, next, nil
}

// entryAt decodes the 12-byte IFD entry at p and locates its value bytes.
func (r *reader) entryAt(p int) (entry, bool) {
	e := entry{
		tag:   r.order.Uint16(r.buf[p:]),
		typ:   r.order.Uint16(r.buf[p+2:]),
		count: r.order.Uint32(r.buf[p+4:]),
	}
	size := typeSize(e.typ)
	if size == 0 {
		return e, false
	}
	total := uint64(e.count) * uint64(size)
	if total <= 4 {
		e.val = r.buf[p+8 : p+8+int(total)]
		return e, true
	}
	off := uint64(r.order.Uint32(r.buf[p+8:]))
	if off+total > uint64(len(r.buf)) {
		return e, false
	}
	e.val = r.buf[off : off+total]
	return e, true
}

// uint returns value i of an integer-typed entry.
func (r *reader) uint(e entry, i int) (uint32, bool) {
	if i < 0 || uint32(i) >= e.count {
		return 0, false
	}
	switch e.typ {
	case typeByte, typeUndefined:
		return uint32(e.val[i]), true
	case typeShort:
		return uint32(r.order.Uint16(e.val[2*i:])), true
	case typeLong:
		return r.order.Uint32(e.val[4*i:]), true
	}
	return 0, false
}

// rational returns value i of a RATIONAL or SRATIONAL entry as a float; ok is
// false for a zero denominator or a non-finite result.
func (r *reader) rational(e entry, i int) (float64, bool) {
	if i < 0 || uint32(i) >= e.count {
		return 0, false
	}
	var v float64
	switch e.typ {
	case typeRational:
		num, den := r.order.Uint32(e.val[8*i:]), r.order.Uint32(e.val[8*i+4:])
		if den == 0 {
			return 0, false
		}
		v = float64(num) / float64(den)
	case typeSRational:
		num, den := int32(r.order.Uint32(e.val[8*i:])), int32(r.order.Uint32(e.val[8*i+4:]))
		if den == 0 {
			return 0, false
		}
		v = float64(num) / float64(den)
	default:
		return 0, false
	}
	return v, !math.IsNaN(v) && !math.IsInf(v, 0)
}
