package codec

import (
	"bytes"
	"fmt"
	"io"
)

// Guard sits between a stream decoder (encoding/json, encoding/xml,
// encoding/csv) and its input. It bounds how far the decoder may read past
// the start of the current record, so that a huge token or record fails
// with ErrTooLong instead of growing the decoder's buffer without limit,
// and it maps byte offsets to line numbers for error messages.
type Guard struct {
	r     io.Reader
	n     int64 // bytes handed to the decoder
	start int64 // offset of the current record
	max   int64
	lines int     // newlines before base
	base  int64   // offset up to which lines are counted
	nl    []int64 // offsets of newlines at or after base
}

// guardSlack lets decoders read ahead (bufio, json refill) beyond a
// record's limit without tripping the guard.
const guardSlack = 64 << 10

// NewGuard wraps r; max bounds one record.
func NewGuard(r io.Reader, max int) *Guard {
	return &Guard{r: r, max: int64(max)}
}

func (g *Guard) Read(p []byte) (int, error) {
	room := g.start + g.max + guardSlack - g.n
	if room <= 0 {
		return 0, fmt.Errorf("%w: a record from byte %d runs past the limit of %d bytes", ErrTooLong, g.start, g.max)
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			break
		}
		g.nl = append(g.nl, g.n+int64(i+j))
		i += j + 1
	}
	g.n += int64(n)
	return n, err
}

// Mark starts a new record at offset off (the decoder's input offset):
// the limit applies from there, and lines before it are counted.
func (g *Guard) Mark(off int64) {
	if off < g.start {
		return
	}
	g.start = off
	i := 0
	for i < len(g.nl) && g.nl[i] < off {
		i++
	}
	g.lines += i
	g.nl = append(g.nl[:0], g.nl[i:]...)
	g.base = off
}

// Line returns the 1-based line of offset off; offsets before the last
// Mark report the line of the mark.
func (g *Guard) Line(off int64) int {
	n := g.lines
	for _, o := range g.nl {
		if o >= off {
			break
		}
		n++
	}
	return n + 1
}

// Total returns how many bytes the decoder has been handed: the end of
// the input after a truncation, the point where reading stopped after
// ErrTooLong.
func (g *Guard) Total() int64 { return g.n }

// Start returns the offset of the current record.
func (g *Guard) Start() int64 { return g.start }
