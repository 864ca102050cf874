package codec

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// LineReader reads lines of at most max bytes in constant memory. A longer
// line is skipped to its end and reported as a RecordError, so one bad
// line does not end the read.
type LineReader struct {
	r    *bufio.Reader
	max  int
	buf  []byte
	line int   // number of the line last returned
	off  int64 // offset of the line last returned
	next int64 // offset of the next line
}

// NewLineReader reads lines from r (already through Decode) with at most
// max bytes per line.
func NewLineReader(r io.Reader, max int) *LineReader {
	return &LineReader{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// Line returns the number (1-based) of the line last returned.
func (l *LineReader) Line() int { return l.line }

// Offset returns the byte offset of the line last returned.
func (l *LineReader) Offset() int64 { return l.off }

// Next returns the next line without its line end (LF or CRLF; a lone CR
// is kept). The slice is valid until the next call. At the end it returns
// io.EOF; a line over the limit returns a *RecordError wrapping ErrTooLong;
// other errors are the underlying reader's.
func (l *LineReader) Next() ([]byte, error) {
	l.line++
	l.off = l.next
	b, err := l.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		l.buf = append(l.buf[:0], b...)
		for err == bufio.ErrBufferFull && len(l.buf) <= l.max {
			b, err = l.r.ReadSlice('\n')
			l.buf = append(l.buf, b...)
		}
		b = l.buf
		if len(b) > l.max {
			return nil, l.skipLong(int64(len(b)), err)
		}
	}
	l.next += int64(len(b))
	switch {
	case err == io.EOF && len(b) == 0:
		l.line--
		return nil, io.EOF
	case err != nil && err != io.EOF:
		return nil, &FatalError{Line: l.line, Offset: l.off, Err: err}
	}
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	if len(b) > l.max {
		return nil, &RecordError{Line: l.line, Offset: l.off, Record: Excerpt(b),
			Err: fmt.Errorf("%w: line of %d bytes, limit %d", ErrTooLong, len(b), l.max)}
	}
	return b, nil
}

// skipLong discards the rest of an over-long line.
func (l *LineReader) skipLong(n int64, err error) error {
	for err == bufio.ErrBufferFull {
		var b []byte
		b, err = l.r.ReadSlice('\n')
		n += int64(len(b))
	}
	l.next += n
	rec := Excerpt(l.buf)
	if len(l.buf) > 64<<10 {
		l.buf = nil // do not keep a huge buffer for the rest of the file
	}
	if err != nil && err != io.EOF {
		return &FatalError{Line: l.line, Offset: l.off, Err: err}
	}
	return &RecordError{Line: l.line, Offset: l.off, Record: rec,
		Err: fmt.Errorf("%w: line of %d bytes, limit %d", ErrTooLong, n, l.max)}
}

// Reject builds the RecordError of the line last returned.
func (l *LineReader) Reject(line []byte, err error) error {
	return &RecordError{Line: l.line, Offset: l.off, Record: Excerpt(line), Err: err}
}
