package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
)

const (
	growStep  = 64 * kiB // first memory buffer for entries of unknown size
	spillStep = 1 * miB  // disk budget is taken this much at a time
)

// buffer reads an entry that cannot be read later (a member of a compressed
// stream, 7z or tar stream) or that must be opened as an archive, into new
// shared storage pinned for the walker: memory up to SpillThreshold, a
// temporary file beyond. declared is the size the archive claims, or -1. It
// reads to the end of r, so that a zip or 7z member's checksum is verified,
// and fails if r holds more or fewer bytes than declared.
func (w *walker) buffer(r io.Reader, declared int64, path string) (*shared, error) {
	r = &capReader{r: r, left: w.lim.MaxEntrySize, max: w.lim.MaxEntrySize, path: path}
	if declared > w.lim.SpillThreshold {
		return w.spill(nil, 0, r, declared, path)
	}
	if declared >= 0 {
		if err := w.mem.acquire(w.ctx, declared); err != nil {
			return nil, err
		}
		s := newMemShared(make([]byte, declared))
		s.memB, s.memCost = w.mem, declared
		if _, err := io.ReadFull(r, s.mem); err != nil {
			s.drop()
			return nil, fmt.Errorf("entry of %d bytes: %w", declared, err)
		}
		if err := expectEOF(r); err != nil {
			s.drop()
			return nil, err
		}
		return s, nil
	}
	return w.bufferUnknown(r, path)
}

// bufferUnknown reads an entry of unknown size, growing a memory buffer
// (taking budget as it grows) and going to disk past SpillThreshold.
func (w *walker) bufferUnknown(r io.Reader, path string) (*shared, error) {
	var buf []byte
	var cost int64
	free := func() { w.mem.unpin(cost); w.mem.release(cost) }
	for {
		if len(buf) == cap(buf) {
			if int64(cap(buf)) >= w.lim.SpillThreshold {
				s, err := w.spill(buf, cost, r, -1, path)
				return s, err
			}
			next := min(max(2*int64(cap(buf)), growStep), w.lim.SpillThreshold)
			if err := w.mem.acquire(w.ctx, next-cost); err != nil {
				free()
				return nil, err
			}
			nb := make([]byte, len(buf), next)
			copy(nb, buf)
			buf, cost = nb, next
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			free()
			return nil, err
		}
		if err := w.ctx.Err(); err != nil {
			free()
			return nil, err
		}
	}
	s := newMemShared(buf)
	s.memB, s.memCost = w.mem, cost
	return s, nil
}

// spill writes prefix (holding memCost bytes of memory budget, given back
// once written) and then the rest of r to a temporary file.
func (w *walker) spill(prefix []byte, memCost int64, r io.Reader, declared int64, path string) (*shared, error) {
	defer func() { w.mem.unpin(memCost); w.mem.release(memCost) }()
	f, name, err := createTemp(w.opt.tempDir())
	if err != nil {
		return nil, &Problem{Kind: KindUnreadable, Path: path, Err: fmt.Errorf("spill to temporary file: %w", err)}
	}
	s := newReaderShared(f, 0, f)
	s.name, s.disk = name, w.disk
	fail := func(err error) (*shared, error) {
		s.drop()
		return nil, err
	}
	src := io.MultiReader(byteReader(prefix), r)
	var size int64
	for {
		if err := w.disk.acquire(w.ctx, spillStep); err != nil {
			return fail(err)
		}
		s.diskCost += spillStep
		n, err := io.CopyN(fileWriter{f}, src, spillStep)
		size += n
		if err == io.EOF {
			break
		}
		if err != nil {
			var we writeErr
			if errors.As(err, &we) {
				err = &Problem{Kind: KindUnreadable, Path: path, Err: fmt.Errorf("spill to temporary file: %w", we.error)}
			}
			return fail(err)
		}
		if err := w.ctx.Err(); err != nil {
			return fail(err)
		}
	}
	if declared >= 0 && size != declared {
		return fail(fmt.Errorf("entry of %d bytes holds %d: %w", declared, size, io.ErrUnexpectedEOF))
	}
	// Give back the unused part of the last step.
	extra := s.diskCost - size
	w.disk.unpin(extra)
	w.disk.release(extra)
	s.diskCost, s.size = size, size
	return s, nil
}

func byteReader(b []byte) io.Reader {
	if len(b) == 0 {
		return eofReader{}
	}
	return &sliceReader{b: b}
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

type sliceReader struct{ b []byte }

func (s *sliceReader) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.b)
	s.b = s.b[n:]
	return n, nil
}

// expectEOF reads past the declared end: a member reader reports a bad
// checksum or an overlong member only there.
func expectEOF(r io.Reader) error {
	var one [1]byte
	for range 100 {
		n, err := r.Read(one[:])
		if n > 0 {
			return fmt.Errorf("entry longer than declared: %w", errLonger)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

var errLonger = errors.New("more data than declared")

// writeErr marks errors of writing the temporary file, as opposed to reading
// the entry: io.CopyN cannot tell them apart, so the copy wraps the writer.
type writeErr struct{ error }

func (e writeErr) Unwrap() error { return e.error }

type fileWriter struct{ f *os.File }

func (w fileWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = writeErr{err}
	}
	return n, err
}
