package ingest

import (
	"bytes"
	"io"
	"strconv"
)

// sniffLen is how many leading bytes sniff needs: a whole tar header block.
const sniffLen = 512

var (
	magicZip      = []byte("PK\x03\x04")
	magicZipEmpty = []byte("PK\x05\x06")
	magicZipSpan  = []byte("PK\x07\x08PK\x03\x04")
	magic7z       = []byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}
	magicGzip     = []byte{0x1F, 0x8B, 0x08}
	magicXz       = []byte{0xFD, '7', 'z', 'X', 'Z', 0x00}
	magicZstd     = []byte{0x28, 0xB5, 0x2F, 0xFD}
	bzBlock       = []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}
	bzEnd         = []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90}
)

// sniff recognises an archive or compression format from the first bytes
// of a file, never from its name. It returns "" for anything else. A tar is
// recognised by a valid header checksum (with or without the ustar magic),
// since old tars have no magic.
func sniff(head []byte) Format {
	switch {
	case bytes.HasPrefix(head, magicZip), bytes.HasPrefix(head, magicZipSpan),
		bytes.HasPrefix(head, magicZipEmpty) && len(head) >= 22:
		return FormatZip
	case bytes.HasPrefix(head, magic7z):
		return Format7z
	case bytes.HasPrefix(head, magicGzip):
		return FormatGzip
	case bytes.HasPrefix(head, magicXz):
		return FormatXz
	case bytes.HasPrefix(head, magicZstd):
		return FormatZstd
	case isBzip2(head):
		return FormatBzip2
	case isTar(head):
		return FormatTar
	}
	return ""
}

func isBzip2(h []byte) bool {
	return len(h) >= 10 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h' && h[3] >= '1' && h[3] <= '9' &&
		(bytes.Equal(h[4:10], bzBlock) || bytes.Equal(h[4:10], bzEnd))
}

// isTar checks the header checksum of the first block: the sum of its bytes
// with the checksum field read as spaces, stored as octal at offset 148.
func isTar(h []byte) bool {
	if len(h) < 512 || h[0] == 0 {
		return false
	}
	field := bytes.TrimRight(bytes.TrimLeft(h[148:156], " "), " \x00")
	want, err := strconv.ParseInt(string(field), 8, 64)
	if err != nil || len(field) == 0 {
		return false
	}
	var unsigned, signed int64
	for i, c := range h[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		unsigned += int64(c)
		signed += int64(int8(c))
	}
	return want == unsigned || want == signed
}

// isCompression reports formats whose content is one compressed stream.
func isCompression(f Format) bool {
	switch f {
	case FormatGzip, FormatBzip2, FormatXz, FormatZstd:
		return true
	}
	return false
}

// tarOf is the compound format of a tar inside a compressed stream.
var tarOf = map[Format]Format{
	FormatGzip: FormatTarGzip, FormatBzip2: FormatTarBz2, FormatXz: FormatTarXz, FormatZstd: FormatTarZstd,
}

// streamOf is the compression of a compound tar format.
var streamOf = map[Format]Format{
	FormatTarGzip: FormatGzip, FormatTarBz2: FormatBzip2, FormatTarXz: FormatXz, FormatTarZstd: FormatZstd,
}

// identify sniffs the format of stored bytes; for a compressed stream it
// decompresses the first block to tell a compressed tar from a single
// compressed file.
func (w *walker) identify(sp span) Format {
	head, _ := sp.head(sniffLen)
	f := sniff(head)
	if !isCompression(f) {
		return f
	}
	dec, err := newDecompressor(f, sp.reader(), w.lim)
	if err != nil {
		return f // the walk reports the damage when it opens the stream
	}
	defer dec.Close()
	inner := make([]byte, sniffLen)
	n, _ := io.ReadFull(dec, inner)
	if isTar(inner[:n]) {
		return tarOf[f]
	}
	return f
}
