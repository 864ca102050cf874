package ingest

import (
	"errors"
	"strings"

	"github.com/bodgit/sevenzip"
)

// sevenZip walks a 7z archive. Members are read in archive order and
// buffered, since members of a solid block can only be decompressed one
// after the other; damage to one member does not stop the others.
func (w *walker) sevenZip(n *node, sp span) error {
	zr, err := sevenzip.NewReader(sp, sp.n)
	if err != nil {
		p := asProblem(err, n.path)
		if p.Kind == KindCorrupt && strings.Contains(err.Error(), "password") {
			p.Kind = KindEncrypted
		}
		return w.report(p, n.chain, nil)
	}
	if len(zr.File) > int(min(w.lim.MaxEntries, 1<<40)) {
		n.acct.stop = limitProblem(n.path, "MaxEntries", "directory declares %d entries; not opened", len(zr.File))
		return w.report(n.acct.stop, n.chain, nil)
	}
	for _, f := range zr.File {
		if n.halted() {
			return nil
		}
		if p := w.countEntry(n.acct); p != nil {
			return w.report(p, n.chain, nil)
		}
		mode := f.Mode()
		if mode.IsDir() || !mode.IsRegular() {
			w.sum.Ignored++
			continue
		}
		if err := w.sevenZipMember(n, f); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) sevenZipMember(n *node, f *sevenzip.File) error {
	size := int64(f.UncompressedSize)
	if f.UncompressedSize > uint64(unlimited) {
		size = unlimited
	}
	e := entry{raw: f.Name, size: size, mod: f.Modified, access: f.Accessed, birth: f.Created, independent: true}
	if size > w.lim.MaxEntrySize {
		return w.member(n, e) // reported there, before anything is read
	}
	rc, err := f.Open()
	if err != nil {
		e.err = asProblem(err, "")
		return w.member(n, e)
	}
	defer rc.Close()
	e.stream = &meter{r: rc, w: w, a: n.acct}
	return w.member(n, e)
}

// isEncryptedErr recognises the errors of decoders that met encryption.
func isEncryptedErr(err error) bool {
	var re *sevenzip.ReadError
	if errors.As(err, &re) && re.Encrypted {
		return true
	}
	var rv sevenzip.ReadError
	return errors.As(err, &rv) && rv.Encrypted
}
