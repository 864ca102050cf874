package ingest

import (
	"archive/tar"
	"errors"
	"io"
	"strings"
)

// tarAt walks a tar whose bytes are at hand: members are yielded as spans
// of it, read by the workers in parallel, without copying. Sparse members
// are expanded and buffered.
func (w *walker) tarAt(n *node, sp span) error {
	sr := sp.reader()
	tr := tar.NewReader(sr)
	for !n.halted() {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && hdr != nil) {
			return w.report(problemf(KindCorrupt, n.path, "tar: %v", err), n.chain, nil)
		}
		if p := w.countEntry(n.acct); p != nil {
			return w.report(p, n.chain, nil)
		}
		if !tarRegular(hdr) {
			w.sum.Ignored++
			continue
		}
		e := tarEntry(hdr)
		off, _ := sr.Seek(0, io.SeekCurrent)
		switch {
		case tarSparse(hdr):
			e.stream = &meter{r: tr, w: w, a: n.acct}
		case hdr.Size > w.lim.MaxEntrySize:
			// member reports it
		case hdr.Size > sp.n-off:
			e.err = problemf(KindCorrupt, "", "truncated: %d of %d bytes present", max(sp.n-off, 0), hdr.Size)
			return w.member(n, e)
		default:
			s := sp.sub(off, hdr.Size)
			e.sp = &s
		}
		if err := w.member(n, e); err != nil {
			return err
		}
	}
	return nil
}

// tarStream walks a tar read from a decompressor: each member is buffered
// as it passes (within the memory and disk budgets) since the stream cannot
// go back.
func (w *walker) tarStream(n *node, r io.Reader) error {
	tr := tar.NewReader(r)
	for !n.halted() {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && hdr != nil) {
			var p *Problem
			if !errors.As(err, &p) {
				if isFatal(w.ctx, err) {
					return err
				}
				p = problemf(KindCorrupt, n.path, "%s: %v", n.format, err)
			}
			return w.report(p, n.chain, nil)
		}
		if p := w.countEntry(n.acct); p != nil {
			return w.report(p, n.chain, nil)
		}
		if !tarRegular(hdr) {
			w.sum.Ignored++
			continue
		}
		e := tarEntry(hdr)
		e.stream = tr
		if err := w.member(n, e); err != nil {
			return err
		}
	}
	return nil
}

func tarEntry(hdr *tar.Header) entry {
	return entry{raw: hdr.Name, size: hdr.Size, mod: hdr.ModTime, access: hdr.AccessTime, change: hdr.ChangeTime}
}

func tarRegular(hdr *tar.Header) bool {
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA, tar.TypeCont, tar.TypeGNUSparse:
		return !strings.HasSuffix(hdr.Name, "/") || hdr.Size > 0
	}
	return false
}

// tarSparse reports members whose stored bytes are not their content: the
// reader fills the holes.
func tarSparse(hdr *tar.Header) bool {
	if hdr.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}
