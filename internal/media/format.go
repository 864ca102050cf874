package media

import (
	"bytes"
	"encoding/binary"

	"github.com/havenproject/haven/internal/media/bmff"
)

// Format names an image container. The zero value means unknown.
type Format string

// Formats Decode understands.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
	TIFF Format = "tiff"
	BMP  Format = "bmp"
	HEIC Format = "heic"
	AVIF Format = "avif"
)

// SniffLen is the number of leading bytes Sniff and SniffOther look at.
const SniffLen = 64

// Sniff identifies an image format from the first bytes of a file (at most
// SniffLen are used), never from its name. It returns "" for anything else.
func Sniff(head []byte) Format {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return WebP
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return TIFF
	case isBMP(head):
		return BMP
	}
	return heifFormat(head)
}

// isBMP checks "BM" and a known DIB header size, since "BM" alone is common in text.
func isBMP(head []byte) bool {
	if len(head) < 18 || head[0] != 'B' || head[1] != 'M' {
		return false
	}
	switch binary.LittleEndian.Uint32(head[14:]) {
	case 12, 16, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// HEIF brands (ISO/IEC 23008-12 annex B) that announce HEVC-coded images.
var heicBrands = map[string]bool{
	"heic": true, "heix": true, "heim": true, "heis": true,
	"hevc": true, "hevx": true, "hevm": true, "hevs": true,
}

// heifFormat tells HEIC from AVIF by the ftyp brands: the major brand first,
// then the compatible ones. Generic HEIF ("mif1"/"msf1" alone) is tried as HEIC.
func heifFormat(head []byte) Format {
	major, compat, ok := bmff.Brands(head)
	if !ok {
		return ""
	}
	pick := func(b string) Format {
		switch {
		case b == "avif" || b == "avis":
			return AVIF
		case heicBrands[b]:
			return HEIC
		}
		return ""
	}
	if f := pick(major); f != "" {
		return f
	}
	for _, b := range compat {
		if f := pick(b); f != "" {
			return f
		}
	}
	if major == "mif1" || major == "msf1" {
		return HEIC
	}
	return ""
}
