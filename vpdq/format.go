package vpdq

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/havenproject/haven/pdq"
)

// ErrSyntax reports a line that is not in the vPDQ text format.
var ErrSyntax = errors.New("vpdq: invalid hash line")

// SyntaxError is a bad line in a vPDQ hash file. It wraps ErrSyntax.
type SyntaxError struct {
	Line int    // 1-based line number; 0 when parsing a single line
	Msg  string // what is wrong
}

func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%v: line %d: %s", ErrSyntax, e.Line, e.Msg)
	}
	return fmt.Sprintf("%v: %s", ErrSyntax, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// maxLineLen bounds a line: a valid one is under 100 bytes, so anything far
// longer is not a hash file and is refused before it is buffered whole.
const maxLineLen = 1024

// AppendText appends f as one line of the reference's text format,
// `frame_number,quality,pdq_hex,timestamp_seconds` with three decimals,
// without the newline.
func (f Frame) AppendText(b []byte) []byte {
	b = strconv.AppendInt(b, int64(f.Number), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(f.Quality), 10)
	b = append(b, ',')
	b = append(b, f.Hash.String()...)
	b = append(b, ',')
	// Go and glibc's printf both round the exact binary value, ties to
	// even, so this prints what the reference prints.
	return strconv.AppendFloat(b, f.Timestamp, 'f', 3, 64)
}

// String returns f as one line of the text format, without the newline.
func (f Frame) String() string { return string(f.AppendText(nil)) }

// Write writes frames in the reference's text format, one line each, as
// vpdq-hash-video writes them.
func Write(w io.Writer, frames []Frame) error {
	bw := bufio.NewWriter(w)
	var line []byte
	for _, f := range frames {
		line = append(f.AppendText(line[:0]), '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write vpdq hashes: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write vpdq hashes: %w", err)
	}
	return nil
}

// Parse reads a vPDQ hash file in the reference's text format. Lines end in
// LF or CRLF; blank lines are skipped. A file with no frames is valid and
// gives none (the reference refuses it; callers that need frames check).
// The input is read to its end: bound it (io.LimitReader) when it comes
// from outside.
func Parse(r io.Reader) ([]Frame, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 128), maxLineLen)
	var frames []Frame
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f, err := parseLine(line)
		if err != nil {
			err.Line = n
			return nil, err
		}
		frames = append(frames, f)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &SyntaxError{Line: n + 1, Msg: fmt.Sprintf("line longer than %d bytes", maxLineLen)}
		}
		return nil, fmt.Errorf("read vpdq hashes: %w", err)
	}
	return frames, nil
}

// ParseLine reads one line of the text format (without its newline).
func ParseLine(s string) (Frame, error) {
	f, err := parseLine(s)
	if err != nil {
		return Frame{}, err
	}
	return f, nil
}

// parseLine returns a *SyntaxError rather than error so that Parse can set
// the line number.
func parseLine(s string) (Frame, *SyntaxError) {
	var f Frame
	fields := strings.Split(s, ",")
	if len(fields) != 4 {
		return f, &SyntaxError{Msg: fmt.Sprintf("want 4 comma-separated fields (frame,quality,hash,timestamp), got %d", len(fields))}
	}
	num, err := parseUint(fields[0], math.MaxInt32)
	if err != nil {
		return f, &SyntaxError{Msg: "frame number: " + err.Error()}
	}
	q, err := parseUint(fields[1], 100)
	if err != nil {
		return f, &SyntaxError{Msg: "quality: " + err.Error()}
	}
	h, err := pdq.Parse(strings.TrimSpace(fields[2]))
	if err != nil {
		return f, &SyntaxError{Msg: "hash: " + err.Error()}
	}
	ts, err := parseSeconds(fields[3])
	if err != nil {
		return f, &SyntaxError{Msg: "timestamp: " + err.Error()}
	}
	return Frame{Number: num, Hash: h, Quality: q, Timestamp: ts}, nil
}

// parseUint reads a decimal integer 0..max; surrounding spaces are allowed,
// signs are not.
func parseUint(s string, max int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty")
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a non-negative integer", s)
		}
		v = v*10 + int(c-'0')
		if v > max {
			return 0, fmt.Errorf("%q exceeds %d", s, max)
		}
	}
	return v, nil
}

// maxSeconds bounds timestamps (about 31 years): larger values are not
// video times, and would print as hundreds of digits.
const maxSeconds = 1e9

// parseSeconds reads a plain decimal number of seconds (digits, one point,
// an optional exponent), finite and not negative. strconv.ParseFloat alone
// would also take "NaN", "Inf" and hexadecimal floats.
func parseSeconds(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, fmt.Errorf("%q is not a decimal number", s)
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	if v < 0 || v > maxSeconds {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return v, nil
}
