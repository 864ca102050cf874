package codec

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Encoding names what Decode found at the start of the input.
type Encoding string

const (
	UTF8      Encoding = "utf-8"
	UTF8BOM   Encoding = "utf-8 with BOM"
	UTF16LE   Encoding = "utf-16le"
	UTF16BE   Encoding = "utf-16be"
	sniffSize          = 4
)

// Decode returns a reader of UTF-8 text: a UTF-8 BOM is dropped, and
// UTF-16 (with a BOM, or without one when the first characters are ASCII
// with zero high bytes, as old Clees4All and Windows tools wrote) is
// transcoded as it is read, in constant memory.
func Decode(r io.Reader) (io.Reader, Encoding, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF {
		return nil, "", err
	}
	switch {
	case len(head) >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		br.Discard(3)
		return br, UTF8BOM, nil
	case len(head) >= 2 && head[0] == 0xFF && head[1] == 0xFE:
		br.Discard(2)
		return &utf16Reader{r: br, le: true}, UTF16LE, nil
	case len(head) >= 2 && head[0] == 0xFE && head[1] == 0xFF:
		br.Discard(2)
		return &utf16Reader{r: br}, UTF16BE, nil
	case len(head) == 4 && head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0:
		return &utf16Reader{r: br, le: true}, UTF16LE, nil
	case len(head) == 4 && head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0:
		return &utf16Reader{r: br}, UTF16BE, nil
	}
	return br, UTF8, nil
}

// DecodeHead does for a byte prefix what Decode does for a stream, for
// format sniffing. A trailing odd byte of UTF-16 is dropped.
func DecodeHead(head []byte) []byte {
	r, _, err := Decode(strings.NewReader(string(head)))
	if err != nil {
		return head
	}
	b, _ := io.ReadAll(r)
	return b
}

// utf16Reader transcodes UTF-16 to UTF-8. Unpaired surrogates become
// U+FFFD; a trailing odd byte is an error (truncated input).
type utf16Reader struct {
	r    *bufio.Reader
	le   bool
	out  [2 * utf8.UTFMax]byte // encoded bytes not yet returned: out[i:n]
	i, n int
	err  error
}

func (u *utf16Reader) unit() (rune, error) {
	a, err := u.r.ReadByte()
	if err != nil {
		return 0, err
	}
	b, err := u.r.ReadByte()
	if err == io.EOF {
		return 0, fmt.Errorf("utf-16: odd byte at end: %w", ErrTruncated)
	}
	if err != nil {
		return 0, err
	}
	if u.le {
		return rune(a) | rune(b)<<8, nil
	}
	return rune(a)<<8 | rune(b), nil
}

// fill decodes one character (or a bad surrogate and the unit after it).
func (u *utf16Reader) fill() {
	r, err := u.unit()
	if err != nil {
		u.err = err
		return
	}
	enc := u.out[:0]
	if r >= 0xD800 && r < 0xDC00 {
		r2, err := u.unit()
		switch {
		case err != nil:
			u.err = err
			r = utf8.RuneError
		case r2 >= 0xDC00 && r2 < 0xE000:
			r = utf16.DecodeRune(r, r2)
		default:
			enc = utf8.AppendRune(enc, utf8.RuneError)
			r = r2
		}
	}
	enc = utf8.AppendRune(enc, r) // a lone low surrogate encodes as U+FFFD
	u.i, u.n = 0, len(enc)
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if u.i < u.n {
			c := copy(p[n:], u.out[u.i:u.n])
			u.i += c
			n += c
			continue
		}
		if u.err != nil {
			break
		}
		u.fill()
	}
	if n > 0 {
		return n, nil
	}
	return 0, u.err
}

// CharsetReader is for encoding/xml's Decoder.CharsetReader. The input has
// already been through Decode, so it is UTF-8 whatever the declaration
// says: a file that declares utf-16 but holds single-byte text (C4All's C4P
// index) reads as written. ISO-8859-1 and Windows-1252 are transcoded.
func CharsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2":
		return input, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
		return &singleByteReader{r: bufio.NewReader(input)}, nil
	case "windows-1252", "cp1252":
		return &singleByteReader{r: bufio.NewReader(input), cp1252: true}, nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q: %w", charset, ErrNotFormat)
}

// cp1252 maps bytes 0x80..0x9F of Windows-1252; zero means undefined.
var cp1252 = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

type singleByteReader struct {
	r      *bufio.Reader
	cp1252 bool
	out    [utf8.UTFMax]byte
	i, n   int
}

func (s *singleByteReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if s.i < s.n {
			c := copy(p[n:], s.out[s.i:s.n])
			s.i += c
			n += c
			continue
		}
		b, err := s.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		r := rune(b)
		if s.cp1252 && b >= 0x80 && b < 0xA0 && cp1252[b-0x80] != 0 {
			r = cp1252[b-0x80]
		}
		s.i, s.n = 0, len(utf8.AppendRune(s.out[:0], r))
	}
	return n, nil
}
