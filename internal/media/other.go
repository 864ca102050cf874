package media

import (
	"bytes"
	"unicode/utf8"

	"github.com/havenproject/haven/internal/media/bmff"
)

// signature is a magic number at a fixed offset and what it means.
type signature struct {
	off   int
	magic string
	kind  string
}

// otherSignatures are common non-image contents, so callers can say what a
// file is instead of only "unknown". Order matters where prefixes overlap.
var otherSignatures = []signature{
	{0, "%PDF-", "PDF document"},
	{0, "PK\x03\x04", "ZIP archive"},
	{0, "PK\x05\x06", "ZIP archive"},
	{0, "Rar!\x1a\x07", "RAR archive"},
	{0, "7z\xbc\xaf\x27\x1c", "7-Zip archive"},
	{0, "\x1f\x8b", "gzip data"},
	{0, "\xfd7zXZ\x00", "xz data"},
	{0, "\x28\xb5\x2f\xfd", "zstd data"},
	{257, "ustar", "tar archive"},
	{0, "\x7fELF", "ELF executable"},
	{0, "SQLite format 3\x00", "SQLite database"},
	{0, "\x1a\x45\xdf\xa3", "Matroska/WebM video"},
	{0, "OggS", "Ogg media"},
	{0, "fLaC", "FLAC audio"},
	{0, "8BPS", "Photoshop document (not supported)"},
	{0, "\x00\x00\x01\x00", "Windows icon (not supported)"},
	{0, "\xff\x0a", "JPEG XL image (not supported)"},
	{0, "\x00\x00\x00\x0cJXL \x0d\x0a\x87\x0a", "JPEG XL image (not supported)"},
	{0, "\x00\x00\x00\x0cjP  \x0d\x0a\x87\x0a", "JPEG 2000 image (not supported)"},
	{0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 document (Office 97–2003)"},
	{0, "\x00\x00\x01\xba", "MPEG program stream video"},
}

// weakSignatures are short magic numbers that plain text could start with;
// they are tried only on data that is not text.
var weakSignatures = []signature{
	{0, "MZ", "Windows executable"},
	{0, "BZh", "bzip2 data"},
	{0, "ID3", "MP3 audio"},
}

// riffKinds are RIFF forms other than WEBP.
var riffKinds = map[string]string{
	"AVI ": "AVI video",
	"WAVE": "WAV audio",
}

// SniffOther describes content that Sniff does not recognise as a decodable
// image, such as "PDF document", "MP4/QuickTime video", "text file" or
// "empty file". It returns "" when it cannot tell (random or unusual binary data).
func SniffOther(head []byte) string {
	if len(head) == 0 {
		return "empty file"
	}
	for _, s := range otherSignatures {
		if len(head) >= s.off+len(s.magic) && string(head[s.off:s.off+len(s.magic)]) == s.magic {
			return s.kind
		}
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" {
		if k, ok := riffKinds[string(head[8:12])]; ok {
			return k
		}
		return "RIFF data"
	}
	if _, _, ok := bmff.Brands(head); ok {
		return "MP4/QuickTime video"
	}
	if len(head) >= 8 && (string(head[4:8]) == "moov" || string(head[4:8]) == "mdat" || string(head[4:8]) == "wide") {
		return "QuickTime video"
	}
	if k := sniffText(head); k != "" {
		return k
	}
	for _, s := range weakSignatures {
		if bytes.HasPrefix(head, []byte(s.magic)) {
			return s.kind
		}
	}
	return ""
}

// sniffText recognises markup and plain text: valid UTF-8 (a cut final rune
// allowed) without control characters other than whitespace.
func sniffText(head []byte) string {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	trimmed := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"))
	for i := 0; i < len(head); {
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n <= 1 {
			if !utf8.FullRune(head[i:]) {
				break // a rune cut by the end of the head
			}
			return ""
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r == 0x7f {
			return ""
		}
		i += n
	}
	switch {
	case bytes.HasPrefix(trimmed, []byte("<svg")), bytes.Contains(trimmed, []byte("<svg")):
		return "SVG image (not supported)"
	case bytes.HasPrefix(trimmed, []byte("<!doctype html")), bytes.HasPrefix(trimmed, []byte("<html")):
		return "HTML document"
	case bytes.HasPrefix(trimmed, []byte("<?xml")):
		return "XML document"
	}
	return "text file"
}
