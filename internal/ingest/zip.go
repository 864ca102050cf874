package ingest

import (
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// smallEntry: compressed zip members up to this size are decompressed by
// the walker once, into memory, rather than once to sniff and again by the
// worker.
const smallEntry = 64 * kiB

// Zip compression methods beyond store and deflate that the walk decodes.
const (
	methodBzip2 = 12
	methodZstd  = 93
	methodXz    = 95
)

// zip walks a zip archive through its central directory; when that cannot
// be read (truncated, damaged) it reports the damage and recovers what the
// local headers still describe.
func (w *walker) zip(n *node, sp span) error {
	if count := zipEntryCount(sp); count > uint64(w.lim.MaxEntries) {
		n.acct.stop = limitProblem(n.path, "MaxEntries", "directory declares %d entries; not opened", count)
		return w.report(n.acct.stop, n.chain, nil)
	}
	zr, err := zip.NewReader(sp, sp.n)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		if err := w.report(problemf(KindCorrupt, n.path, "zip central directory: %v; recovering entries from local headers", err), n.chain, nil); err != nil {
			return err
		}
		return w.zipRecover(n, sp)
	}
	w.registerZip(zr)
	var packed uint64
	for _, f := range zr.File {
		packed += f.CompressedSize64
	}
	if packed > uint64(sp.n) {
		// Only entries sharing compressed data (the overlapping-entries zip
		// bomb) can hold more compressed bytes than the archive.
		n.acct.stop = problemf(KindCorrupt, n.path, "entries overlap: %d bytes of compressed data in a %d-byte archive (zip bomb construction); not read", packed, sp.n)
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
		if mode.IsDir() || strings.HasSuffix(f.Name, "/") || !mode.IsRegular() {
			w.sum.Ignored++
			continue
		}
		e, p := w.zipEntry(n, sp, f)
		if p != nil {
			return w.report(p, n.chain, nil)
		}
		if err := w.member(n, e); err != nil {
			return err
		}
	}
	return nil
}

// zipEntry describes one zip member and counts its expansion. A returned
// problem (a limit of the archive) stops the archive.
func (w *walker) zipEntry(n *node, sp span, f *zip.File) (entry, *Problem) {
	size := int64(f.UncompressedSize64)
	if f.UncompressedSize64 > uint64(unlimited) {
		size = unlimited
	}
	e := entry{raw: f.Name, size: size, mod: f.Modified}
	e.access, e.birth = zipTimes(f.Extra)
	if e.mod.IsZero() {
		e.mod = f.Modified
	}
	stored := f.Method == zip.Store
	switch {
	case f.Flags&0x1 != 0:
		e.err = &Problem{Kind: KindEncrypted, Err: errors.New("zip entry is encrypted")}
		return e, nil
	case !stored && !zipMethodKnown(f.Method):
		e.err = &Problem{Kind: KindUnsupported, Err: fmt.Errorf("zip compression method %d", f.Method)}
		return e, nil
	case stored && f.CompressedSize64 != f.UncompressedSize64:
		e.err = problemf(KindCorrupt, "", "stored entry of %d bytes has %d compressed", f.UncompressedSize64, f.CompressedSize64)
		return e, nil
	case size > w.lim.MaxEntrySize:
		return e, nil // member reports it
	}
	if !stored {
		if w.lim.MaxRatio > 0 && size > w.lim.RatioFloor && float64(size) > w.lim.MaxRatio*float64(f.CompressedSize64) {
			e.err = &Problem{Kind: KindLimit, Limit: "MaxRatio",
				Err: fmt.Errorf("entry declares %d bytes from %d (more than %g:1)", size, f.CompressedSize64, w.lim.MaxRatio)}
			return e, nil
		}
		if p := w.expand(n.acct, size); p != nil {
			return e, p
		}
	}
	e.lazy = &lazyEntry{f: f, zsp: sp, stored: stored}
	return e, nil
}

func zipMethodKnown(m uint16) bool {
	switch m {
	case zip.Deflate, methodBzip2, methodZstd, methodXz:
		return true
	}
	return false
}

// registerZip adds the decoders of compression methods the standard
// library lacks, for this reader only.
func (w *walker) registerZip(zr *zip.Reader) {
	lim := w.lim
	zr.RegisterDecompressor(methodBzip2, func(r io.Reader) io.ReadCloser { return io.NopCloser(bzip2.NewReader(r)) })
	for m, f := range map[uint16]Format{methodZstd: FormatZstd, methodXz: FormatXz} {
		zr.RegisterDecompressor(m, func(r io.Reader) io.ReadCloser {
			d, err := newDecompressor(f, r, lim)
			if err != nil {
				return io.NopCloser(errReader{err})
			}
			return d
		})
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// lazyEntry is a zip member whose bytes are read when needed.
type lazyEntry struct {
	f      *zip.File
	zsp    span // the zip's bytes
	stored bool
}

// lazyMember deals with a zip member. Members that are not archives are
// yielded to be decompressed by whoever opens them (done). Small compressed
// members come back as a stream to buffer now; archives as a stream to
// buffer, or as their span when stored.
func (w *walker) lazyMember(n *node, z *lazyEntry, it *Item, skip bool) (done bool, stored *span, rc io.ReadCloser, err error) {
	fail := func(err error) (bool, *span, io.ReadCloser, error) {
		return true, nil, nil, w.report(asProblem(err, it.Path), n.chain, it)
	}
	if !z.stored && it.Size <= smallEntry {
		rc, err := z.f.Open()
		if err != nil {
			return fail(err)
		}
		return false, nil, rc, nil
	}
	head, err := zipHead(z.f)
	if err != nil {
		return fail(err)
	}
	if !w.canDescend() || sniff(head) == "" {
		if skip {
			w.sum.Skipped++
			return true, nil, nil, nil
		}
		z.zsp.s.retain()
		it.src = zipSource{f: z.f, hold: z.zsp.s}
		return true, nil, nil, w.emit(it)
	}
	if z.stored {
		off, err := z.f.DataOffset()
		if err != nil {
			return fail(err)
		}
		if off < 0 || off > z.zsp.n || it.Size > z.zsp.n-off {
			return fail(fmt.Errorf("stored entry at %d of %d bytes runs past the archive end: %w", off, it.Size, io.ErrUnexpectedEOF))
		}
		sp := z.zsp.sub(off, it.Size)
		return false, &sp, nil, nil
	}
	rc, err = z.f.Open()
	if err != nil {
		return fail(err)
	}
	return false, nil, rc, nil
}

// zipHead decompresses the first bytes of a member, to sniff them.
func zipHead(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	head := make([]byte, min(sniffLen, f.UncompressedSize64))
	n, err := io.ReadFull(rc, head)
	if err != nil && err != io.EOF {
		return nil, err
	}
	return head[:n], nil
}

// errKind classifies an error met while reading an archive.
func errKind(err error) Kind {
	var p *Problem
	switch {
	case errors.As(err, &p):
		return p.Kind
	case errors.Is(err, zip.ErrAlgorithm):
		return KindUnsupported
	case isEncryptedErr(err):
		return KindEncrypted
	case errors.Is(err, errWindow):
		return KindLimit
	}
	return KindCorrupt
}

// zipEntryCount reads the number of entries the end of central directory
// record declares (zip64 if need be), before the standard library reads a
// directory that may be huge; 0 if there is no such record.
func zipEntryCount(sp span) uint64 {
	const eocdLen, maxComment = 22, 65535
	tailLen := min(sp.n, eocdLen+maxComment)
	tail := make([]byte, tailLen)
	if _, err := sp.ReadAt(tail, sp.n-tailLen); err != nil && err != io.EOF {
		return 0
	}
	// The last signature whose comment length fits is the record (a
	// comment may contain the signature).
	i := len(tail)
	for {
		i = bytes.LastIndex(tail[:i], magicZipEmpty)
		if i < 0 {
			return 0
		}
		if len(tail)-i >= eocdLen && i+eocdLen+int(binary.LittleEndian.Uint16(tail[i+20:])) <= len(tail) {
			break
		}
	}
	count := uint64(binary.LittleEndian.Uint16(tail[i+10:]))
	if count != 0xFFFF || i < 20 || !bytes.Equal(tail[i-20:i-16], []byte("PK\x06\x07")) {
		return count
	}
	var rec [40]byte
	off := int64(binary.LittleEndian.Uint64(tail[i-20+8:]))
	if off < 0 || off > sp.n {
		return count
	}
	if _, err := sp.ReadAt(rec[:], off); err != nil || !bytes.Equal(rec[:4], []byte("PK\x06\x06")) {
		return count
	}
	return binary.LittleEndian.Uint64(rec[32:])
}
