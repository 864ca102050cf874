package ingest

import (
	"io"
)

// acct counts what one open archive has expanded, including archives nested
// in it, and how many entries it has; stop is set when one of its limits is
// reached, which ends the walk of it and of everything open inside it.
type acct struct {
	parent   *acct
	path     string
	size     int64 // the archive's own bytes, for the ratio
	expanded int64
	entries  int64
	stop     *Problem
	broken   bool // its stream failed: nothing more can be read from it
}

// halted reports whether this archive or one it is inside was stopped.
func (a *acct) halted() bool {
	for ; a != nil; a = a.parent {
		if a.stop != nil || a.broken {
			return true
		}
	}
	return false
}

// expand counts n more expanded bytes against a and every archive it is
// inside, and against the whole walk. It returns the limit problem of the
// first archive (outermost last) whose limit is passed, and stops it.
func (w *walker) expand(a *acct, n int64) *Problem {
	if w.totalStop != nil {
		return w.totalStop
	}
	for x := a; x != nil; x = x.parent {
		if x.stop != nil {
			return x.stop
		}
		x.expanded += n
		var p *Problem
		switch {
		case x.expanded > w.lim.MaxArchiveExpanded:
			p = limitProblem(x.path, "MaxArchiveExpanded", "more than %d bytes expanded", w.lim.MaxArchiveExpanded)
		case w.lim.MaxRatio > 0 && x.expanded > w.lim.RatioFloor && float64(x.expanded) > w.lim.MaxRatio*float64(x.size):
			p = limitProblem(x.path, "MaxRatio", "%d bytes expanded from %d (more than %g:1)", x.expanded, x.size, w.lim.MaxRatio)
		}
		if p != nil {
			x.stop = p
			return p
		}
	}
	w.sum.Expanded += n
	if w.sum.Expanded > w.lim.MaxTotalExpanded {
		w.totalStop = limitProblem(a.path, "MaxTotalExpanded", "the walk expanded more than %d bytes", w.lim.MaxTotalExpanded)
		return w.totalStop
	}
	return nil
}

// countEntry counts one more entry of archive a, and returns the problem
// (a stopped) once there are more than MaxEntries.
func (w *walker) countEntry(a *acct) *Problem {
	a.entries++
	if a.entries > w.lim.MaxEntries {
		a.stop = limitProblem(a.path, "MaxEntries", "more than %d entries; the rest not read", w.lim.MaxEntries)
		return a.stop
	}
	return nil
}

// meter counts the bytes a decompressor produces as expansion of an
// archive, failing the read with the limit problem once one is passed.
type meter struct {
	r io.Reader
	w *walker
	a *acct
}

func (m *meter) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if n > 0 {
		if perr := m.w.expand(m.a, int64(n)); perr != nil {
			return n, perr
		}
	}
	return n, err
}

// capReader fails with a MaxEntrySize problem when more than max bytes come.
type capReader struct {
	r    io.Reader
	left int64 // bytes still allowed
	max  int64
	path string
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, limitProblem(c.path, "MaxEntrySize", "entry larger than %d bytes", c.max)
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
