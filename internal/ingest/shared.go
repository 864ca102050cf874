package ingest

import (
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// shared is reference-counted random-access storage for bytes: an input
// file, a memory buffer or a temporary file. The walker holds one reference
// while it reads an archive from it, and every item whose bytes live in it
// holds one until released; the last release frees it and returns its
// budget.
type shared struct {
	refs              atomic.Int64
	size              int64
	mem               []byte      // bytes in memory, or
	ra                io.ReaderAt // a file (input or temporary) or a caller's reader
	file              *os.File    // closed when freed, if set
	name              string      // temporary file to remove when freed, if not unlinked
	memB              *budget     // budgets the costs below are returned to
	disk              *budget
	memCost, diskCost int64
	unpinOnce         sync.Once
}

func newMemShared(b []byte) *shared {
	s := &shared{mem: b, size: int64(len(b))}
	s.refs.Store(1)
	return s
}

func newReaderShared(ra io.ReaderAt, size int64, f *os.File) *shared {
	s := &shared{ra: ra, size: size, file: f}
	s.refs.Store(1)
	return s
}

func (s *shared) retain() { s.refs.Add(1) }

func (s *shared) release() {
	if s.refs.Add(-1) != 0 {
		return
	}
	if s.file != nil {
		s.file.Close()
	}
	if s.name != "" {
		os.Remove(s.name)
	}
	s.mem = nil
	if s.memB != nil {
		s.memB.release(s.memCost)
	}
	if s.disk != nil {
		s.disk.release(s.diskCost)
	}
}

// drop releases the walker's own reference and unpins its budget.
func (s *shared) drop() {
	s.unpinOnce.Do(func() {
		if s.memB != nil {
			s.memB.unpin(s.memCost)
		}
		if s.disk != nil {
			s.disk.unpin(s.diskCost)
		}
	})
	s.release()
}

func (s *shared) ReadAt(p []byte, off int64) (int, error) {
	if s.mem != nil || s.ra == nil {
		if off >= int64(len(s.mem)) {
			return 0, io.EOF
		}
		n := copy(p, s.mem[off:])
		if n < len(p) {
			return n, io.EOF
		}
		return n, nil
	}
	return s.ra.ReadAt(p, off)
}

// span is a window onto shared storage: a whole input, or the bytes of one
// member stored uncompressed inside it.
type span struct {
	s      *shared
	off, n int64
}

func whole(s *shared) span { return span{s: s, n: s.size} }

func (sp span) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, io.ErrUnexpectedEOF
	}
	if off >= sp.n {
		return 0, io.EOF
	}
	short := false
	if rest := sp.n - off; int64(len(p)) > rest {
		p, short = p[:rest], true
	}
	n, err := sp.s.ReadAt(p, sp.off+off)
	if err == nil && short {
		err = io.EOF
	}
	if err == io.EOF && n == len(p) && !short {
		err = nil
	}
	return n, err
}

func (sp span) sub(off, n int64) span { return span{s: sp.s, off: sp.off + off, n: n} }

func (sp span) reader() *io.SectionReader { return io.NewSectionReader(sp, 0, sp.n) }

// bytes returns the span's bytes when they are in memory.
func (sp span) bytes() ([]byte, bool) {
	if sp.s.mem == nil {
		return nil, false
	}
	return sp.s.mem[sp.off : sp.off+sp.n], true
}

// head reads up to n bytes from the start of the span.
func (sp span) head(n int) ([]byte, error) {
	n = int(min(int64(n), sp.n))
	buf := make([]byte, n)
	m, err := sp.ReadAt(buf, 0)
	if err == io.EOF && m == n {
		err = nil
	}
	return buf[:m], err
}
