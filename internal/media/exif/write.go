package exif

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Camera is what Build writes: the fields that tie photos to one camera
// body. Empty strings and a zero Taken are left out. Haven never writes EXIF
// into evidence; Build is for test fixtures and benchmark collections.
type Camera struct {
	Make, Model string    // IFD0 0x010F, 0x0110
	Serial      string    // Exif IFD 0xA431 BodySerialNumber
	Taken       time.Time // Exif IFD 0x9003 DateTimeOriginal, written without zone
}

// ErrNotJPEG is returned by InJPEG for data that does not start with a JPEG
// SOI marker.
var ErrNotJPEG = errors.New("not a JPEG")

// Build returns a little-endian TIFF block, as Parse reads it: IFD0 with
// Make, Model and a pointer to the Exif IFD, which holds DateTimeOriginal and
// BodySerialNumber. Each IFD's long values follow it.
func Build(c Camera) []byte {
	var ifd0, sub []asciiTag
	ifd0 = appendASCII(ifd0, tagMake, c.Make)
	ifd0 = appendASCII(ifd0, tagModel, c.Model)
	if !c.Taken.IsZero() {
		sub = appendASCII(sub, tagDateTimeOriginal, c.Taken.Format("2006:01:02 15:04:05"))
	}
	sub = appendASCII(sub, tagBodySerialNumber, c.Serial)

	out := []byte{'I', 'I', 42, 0, 8, 0, 0, 0} // IFD0 at offset 8
	out, ptrAt := appendIFD(out, ifd0, len(sub) > 0)
	if len(sub) > 0 {
		binary.LittleEndian.PutUint32(out[ptrAt:], uint32(len(out)))
		out, _ = appendIFD(out, sub, false)
	}
	return out
}

type asciiTag struct {
	id  uint16
	val string
}

func appendASCII(tags []asciiTag, id uint16, s string) []asciiTag {
	if s == "" {
		return tags
	}
	return append(tags, asciiTag{id, s})
}

// appendIFD appends an IFD of ASCII entries (plus, when exifPtr, a LONG
// Exif IFD pointer as its last entry) and the values that do not fit in an
// entry. It returns the offset of the pointer's value for the caller to
// fill in.
func appendIFD(out []byte, tags []asciiTag, exifPtr bool) ([]byte, int) {
	le := binary.LittleEndian
	n := len(tags)
	if exifPtr {
		n++
	}
	dataAt := len(out) + 2 + 12*n + 4
	var data []byte
	out = le.AppendUint16(out, uint16(n))
	for _, t := range tags {
		v := append([]byte(t.val), 0)
		out = le.AppendUint16(out, t.id)
		out = le.AppendUint16(out, 2) // ASCII
		out = le.AppendUint32(out, uint32(len(v)))
		if len(v) <= 4 {
			out = append(out, v...)
			out = append(out, make([]byte, 4-len(v))...) // value in the entry, padded
			continue
		}
		out = le.AppendUint32(out, uint32(dataAt+len(data)))
		data = append(data, v...)
		if len(data)%2 == 1 {
			data = append(data, 0) // values start on a word boundary
		}
	}
	ptrAt := -1
	if exifPtr {
		out = le.AppendUint16(out, tagExifIFD)
		out = le.AppendUint16(out, 4) // LONG
		out = le.AppendUint32(out, 1)
		ptrAt = len(out)
		out = le.AppendUint32(out, 0)
	}
	out = le.AppendUint32(out, 0) // no next IFD
	return append(out, data...), ptrAt
}

// InJPEG returns a copy of jpg with an APP1 Exif segment holding block
// right after its SOI marker.
func InJPEG(jpg, block []byte) ([]byte, error) {
	if len(jpg) < 2 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return nil, ErrNotJPEG
	}
	const header = "Exif\x00\x00"
	size := 2 + len(header) + len(block)
	if size > 0xFFFF {
		return nil, fmt.Errorf("exif block of %d bytes: larger than one APP1 segment", len(block))
	}
	out := make([]byte, 0, len(jpg)+2+size)
	out = append(out, 0xFF, 0xD8, 0xFF, 0xE1)
	out = binary.BigEndian.AppendUint16(out, uint16(size))
	out = append(out, header...)
	out = append(out, block...)
	return append(out, jpg[2:]...), nil
}
