package ingest

import (
	"archive/tar"
	"errors"
	"fmt"
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

// compressed walks a gzip, bzip2, xz or zstd stream: a compressed tar's
// members, or the single file it holds, named as its gzip header says or
// as the stream less its compression suffix.
func (w *walker) compressed(n *node, sp span) error {
	base, isTar := streamOf[n.format]
	if !isTar {
		base = n.format
	}
	dec, err := newDecompressor(base, sp.reader(), w.lim)
	if err != nil {
		p := asProblem(err, n.path)
		if p.Kind == KindCorrupt {
			p.Err = fmt.Errorf("%s: %w", base, err)
		}
		return w.report(p, n.chain, nil)
	}
	defer dec.Close()
	m := &meter{r: dec, w: w, a: n.acct}
	if isTar {
		return w.tarStream(n, m)
	}
	if p := w.countEntry(n.acct); p != nil {
		return w.report(p, n.chain, nil)
	}
	e := entry{raw: payloadName(dec.Name, n.path), size: -1, stream: m, mod: dec.ModTime}
	return w.member(n, e)
}

// payloadName names the file inside a compressed stream.
func payloadName(header, container string) string {
	if header != "" {
		return header
	}
	base := container
	if i := strings.LastIndex(base, Separator); i >= 0 {
		base = base[i+len(Separator):]
	}
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	lower := strings.ToLower(base)
	for _, suf := range []string{".tgz", ".gz", ".gzip", ".bz2", ".tbz2", ".xz", ".txz", ".zst", ".zstd", ".z"} {
		if strings.HasSuffix(lower, suf) && len(base) > len(suf) {
			return base[:len(base)-len(suf)]
		}
	}
	return base
}
