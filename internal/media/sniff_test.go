package media

import (
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name  string
		head  string
		want  Format
		other string
	}{
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF", JPEG, ""},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", PNG, ""},
		{"gif87", "GIF87a\x01\x00", GIF, ""},
		{"gif89", "GIF89a\x01\x00", GIF, ""},
		{"webp", "RIFF\x10\x00\x00\x00WEBPVP8 ", WebP, ""},
		{"tiff le", "II*\x00\x08\x00\x00\x00", TIFF, ""},
		{"tiff be", "MM\x00*\x00\x00\x00\x08", TIFF, ""},
		{"bmp", "BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00", BMP, ""},
		{"heic", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", HEIC, ""},
		{"heic by compatible brand", "\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", HEIC, ""},
		{"generic heif", "\x00\x00\x00\x14ftypmif1\x00\x00\x00\x00mif1", HEIC, ""},
		{"avif", "\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", AVIF, ""},
		{"avif sequence", "\x00\x00\x00\x1cftypavis\x00\x00\x00\x00avismsf1miaf", AVIF, ""},
		{"avif by compatible brand", "\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", AVIF, ""},
		{"mp4", "\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41", "", "MP4/QuickTime video"},
		{"quicktime", "\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "", "MP4/QuickTime video"},
		{"BM text", "BMW cars are fast\n", "", "text file"},
		{"text", "hello, world\n", "", "text file"},
		{"utf-8 text", "Grüße aus Köln\n", "", "text file"},
		{"html", "<!DOCTYPE html><html>", "", "HTML document"},
		{"svg", "<?xml version=\"1.0\"?>\n<svg xmlns=", "", "SVG image (not supported)"},
		{"xml", "<?xml version=\"1.0\"?><root/>", "", "XML document"},
		{"pdf", "%PDF-1.4\n%\xe2\xe3", "", "PDF document"},
		{"zip", "PK\x03\x04\x14\x00", "", "ZIP archive"},
		{"gzip", "\x1f\x8b\x08\x00", "", "gzip data"},
		{"7z", "7z\xbc\xaf\x27\x1c\x00\x04", "", "7-Zip archive"},
		{"elf", "\x7fELF\x02\x01\x01", "", "ELF executable"},
		{"exe", "MZ\x90\x00\x03\x00\x00\x00", "", "Windows executable"},
		{"webm", "\x1a\x45\xdf\xa3\x9f\x42\x86", "", "Matroska/WebM video"},
		{"avi", "RIFF\x00\x00\x00\x00AVI LIST", "", "AVI video"},
		{"wav", "RIFF\x00\x00\x00\x00WAVEfmt ", "", "WAV audio"},
		{"mp3", "ID3\x03\x00\x00\x00", "", "MP3 audio"},
		{"psd", "8BPS\x00\x01", "", "Photoshop document (not supported)"},
		{"sqlite", "SQLite format 3\x00", "", "SQLite database"},
		{"empty", "", "", "empty file"},
		{"binary", "\x00\x01\x02\x03\x04", "", ""},
		{"latin-1", "caf\xe9 cr\xe8me", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %q, want %q", got, tc.want)
			}
			if tc.want != "" {
				return
			}
			if got := SniffOther([]byte(tc.head)); got != tc.other {
				t.Errorf("SniffOther = %q, want %q", got, tc.other)
			}
		})
	}
}

// TestSniffTextCutRune: a multi-byte character cut by the 64-byte head is still text.
func TestSniffTextCutRune(t *testing.T) {
	head := []byte(strings.Repeat("a", SniffLen-1) + "é")[:SniffLen]
	if got := SniffOther(head); got != "text file" {
		t.Errorf("SniffOther = %q", got)
	}
}

func FuzzSniff(f *testing.F) {
	for _, s := range []string{
		"\xff\xd8\xff\xe0", "\x89PNG\r\n\x1a\n", "GIF89a", "RIFF\x00\x00\x00\x00WEBP", "II*\x00", "MM\x00*",
		"BM\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x28\x00\x00\x00",
		"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", "\x00\x00\x00\x00ftypheic", "hello\n", "%PDF-",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := Sniff(b)
		if len(b) > SniffLen && Sniff(b[:SniffLen]) != got {
			t.Fatalf("Sniff looks past %d bytes", SniffLen)
		}
		if got == "" {
			SniffOther(b)
		}
	})
}
