// Package bmff reads the item structure of HEIF and AVIF still-image files:
// ISO base media file format boxes (ISO/IEC 14496-12) carrying HEIF items
// (ISO/IEC 23008-12). It finds the primary image item, its size and
// transformations, its alpha auxiliary, and the bytes of the Exif item, so that
// package media can check pixel budgets and read metadata without decoding.
//
// The input is treated as hostile: every length is bounds-checked against the
// enclosing box and the number of boxes, items, extents and properties is capped.
package bmff

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrFormat is returned (wrapped) for data that is not a readable HEIF/AVIF structure.
var ErrFormat = errors.New("malformed ISO-BMFF")

// Limits on hostile input; real files stay far below them.
const (
	maxBoxes      = 4096 // children read from one box
	maxItems      = 4096
	maxExtents    = 1 << 14 // in total, over all items
	maxProperties = 4096
	maxItemData   = 16 << 20 // bytes returned by ItemData
)

// box is one box inside a byte slice; body excludes the header.
type box struct {
	typ     string
	body    []byte
	bodyOff int // offset of body in the whole file
}

// children calls fn for each box in buf, whose first byte is at file offset
// base. A size of 0 means "to the end". It stops at the first error.
func children(buf []byte, base int, fn func(b box) error) error {
	for n := 0; len(buf) > 0; n++ {
		if n >= maxBoxes {
			return fmt.Errorf("%w: more than %d boxes", ErrFormat, maxBoxes)
		}
		if len(buf) < 8 {
			return fmt.Errorf("%w: truncated box header at offset %d", ErrFormat, base)
		}
		size := uint64(binary.BigEndian.Uint32(buf))
		typ := string(buf[4:8])
		hdr := uint64(8)
		switch size {
		case 0:
			size = uint64(len(buf))
		case 1:
			if len(buf) < 16 {
				return fmt.Errorf("%w: truncated large box header at offset %d", ErrFormat, base)
			}
			size, hdr = binary.BigEndian.Uint64(buf[8:]), 16
		}
		if size < hdr || size > uint64(len(buf)) {
			return fmt.Errorf("%w: box %q at offset %d has size %d, %d bytes left", ErrFormat, printable(typ), base, size, len(buf))
		}
		if err := fn(box{typ: typ, body: buf[hdr:size], bodyOff: base + int(hdr)}); err != nil {
			return err
		}
		buf = buf[size:]
		base += int(size)
	}
	return nil
}

// fullBox splits the version and flags off a FullBox body.
func fullBox(b box) (version uint8, flags uint32, rest []byte, err error) {
	if len(b.body) < 4 {
		return 0, 0, nil, fmt.Errorf("%w: %q box too short", ErrFormat, printable(b.typ))
	}
	v := binary.BigEndian.Uint32(b.body)
	return uint8(v >> 24), v & 0xFFFFFF, b.body[4:], nil
}

// cursor reads big-endian fields of varying width and remembers the first overrun.
type cursor struct {
	buf []byte
	bad bool
}

func (c *cursor) uint(n int) uint64 {
	if n < 0 || n > 8 || len(c.buf) < n {
		c.bad = true
		c.buf = nil
		return 0
	}
	var v uint64
	for _, b := range c.buf[:n] {
		v = v<<8 | uint64(b)
	}
	c.buf = c.buf[n:]
	return v
}

func (c *cursor) u8() uint8   { return uint8(c.uint(1)) }
func (c *cursor) u16() uint16 { return uint16(c.uint(2)) }
func (c *cursor) u32() uint32 { return uint32(c.uint(4)) }

// id reads an item ID of 16 bits, or 32 bits when wide is set.
func (c *cursor) id(wide bool) uint32 {
	if wide {
		return c.u32()
	}
	return uint32(c.u16())
}

// cstring reads a NUL-terminated string; without a NUL it takes the rest.
func (c *cursor) cstring() string {
	for i, b := range c.buf {
		if b == 0 {
			s := string(c.buf[:i])
			c.buf = c.buf[i+1:]
			return s
		}
	}
	s := string(c.buf)
	c.buf = nil
	return s
}

// printable makes a box type safe to print in an error message.
func printable(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}
