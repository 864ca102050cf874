package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/havenproject/haven/internal/media/exif"
)

// exif finds and parses the EXIF block. It returns nil, nil when there is none.
func (s *source) exif() (*exif.Data, error) {
	block, err := s.exifBlock()
	if err != nil || block == nil {
		return nil, err
	}
	d, err := exif.Parse(block)
	if err != nil {
		return nil, fmt.Errorf("%s: exif: %w", s.format, err)
	}
	return d, nil
}

// orientation is the transform still to apply to the decoded pixels (see Decoded).
func (s *source) orientation(d *exif.Data) int {
	switch s.format {
	case AVIF:
		return s.item.Orientation()
	case HEIC, GIF, BMP:
		return 0
	}
	if d == nil {
		return 0
	}
	return d.Orientation
}

// exifBlock returns the TIFF-structured EXIF bytes stored in the container.
func (s *source) exifBlock() ([]byte, error) {
	switch s.format {
	case JPEG:
		return jpegEXIF(s.data), nil
	case PNG:
		return pngEXIF(s.data), nil
	case WebP:
		return webpEXIF(s.data), nil
	case TIFF:
		return s.data, nil
	case HEIC, AVIF:
		return s.heifEXIF()
	}
	return nil, nil
}

var jpegEXIFPrefix = []byte("Exif\x00\x00")

// jpegEXIF returns the payload of the first APP1 Exif segment before the scan.
func jpegEXIF(b []byte) []byte {
	p := 2
	for p+4 <= len(b) {
		if b[p] != 0xFF {
			return nil
		}
		m := b[p+1]
		switch {
		case m == 0xFF: // fill byte
			p++
			continue
		case m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			p += 2
			continue
		case m == 0xDA || m == 0xD9:
			return nil
		}
		n := int(binary.BigEndian.Uint16(b[p+2:]))
		if n < 2 || p+2+n > len(b) {
			return nil
		}
		seg := b[p+4 : p+2+n]
		if m == 0xE1 && bytes.HasPrefix(seg, jpegEXIFPrefix) {
			return seg[len(jpegEXIFPrefix):]
		}
		p += 2 + n
	}
	return nil
}

// pngEXIF returns the eXIf chunk's data.
func pngEXIF(b []byte) []byte {
	for p := 8; p+8 <= len(b); {
		n := uint64(binary.BigEndian.Uint32(b[p:]))
		typ := string(b[p+4 : p+8])
		if uint64(p)+12+n > uint64(len(b)) {
			return nil
		}
		switch typ {
		case "eXIf":
			return b[p+8 : p+8+int(n)]
		case "IEND":
			return nil
		}
		p += 12 + int(n)
	}
	return nil
}

// webpEXIF returns the EXIF chunk's data from a RIFF WEBP file.
func webpEXIF(b []byte) []byte {
	for p := 12; p+8 <= len(b); {
		n := uint64(binary.LittleEndian.Uint32(b[p+4:]))
		if uint64(p)+8+n > uint64(len(b)) {
			return nil
		}
		if string(b[p:p+4]) == "EXIF" {
			return b[p+8 : p+8+int(n)]
		}
		p += 8 + int(n) + int(n&1) // chunks are padded to even sizes
	}
	return nil
}

// heifEXIF returns the Exif item's TIFF data. The item starts with a 32-bit
// offset from its end to the TIFF header (usually past "Exif\0\0").
func (s *source) heifEXIF() ([]byte, error) {
	it := s.heif.ExifItem()
	if it == nil {
		return nil, nil
	}
	b, err := s.heif.ItemData(it)
	if err != nil {
		return nil, fmt.Errorf("%s: exif: %w", s.format, err)
	}
	if len(b) < 4 {
		return nil, fmt.Errorf("%s: exif: %w", s.format, errors.New("Exif item shorter than 4 bytes"))
	}
	off := uint64(binary.BigEndian.Uint32(b))
	if off > uint64(len(b)-4) {
		return nil, fmt.Errorf("%s: exif: TIFF header offset %d outside %d-byte item", s.format, off, len(b))
	}
	return b[4+off:], nil
}
