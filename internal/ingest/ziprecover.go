package ingest

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

const localHeaderLen = 30

// zipRecover walks a zip whose central directory is missing or damaged by
// its local file headers, from the start, as far as they go: entries before
// the damage of a truncated archive are still found.
func (w *walker) zipRecover(n *node, sp span) error {
	var off int64
	for !n.halted() {
		var h [localHeaderLen]byte
		if _, err := sp.ReadAt(h[:], off); err != nil || !bytes.Equal(h[:4], magicZip) {
			return nil
		}
		if p := w.countEntry(n.acct); p != nil {
			return w.report(p, n.chain, nil)
		}
		next, err := w.recoverEntry(n, sp, off, h[:])
		if err != nil || next <= off {
			return err
		}
		off = next
	}
	return nil
}

// recoverEntry walks the entry whose local header h is at off and returns
// where the next one starts, or 0 when the walk cannot go past it.
func (w *walker) recoverEntry(n *node, sp span, off int64, h []byte) (int64, error) {
	le16 := func(i int) uint16 { return binary.LittleEndian.Uint16(h[i:]) }
	le32 := func(i int) uint32 { return binary.LittleEndian.Uint32(h[i:]) }
	flags, method := le16(6), le16(8)
	csize, usize := int64(le32(18)), int64(le32(22))
	nameLen, extraLen := int64(le16(26)), int64(le16(28))
	meta := make([]byte, nameLen+extraLen)
	if _, err := sp.ReadAt(meta, off+localHeaderLen); err != nil {
		return 0, w.report(problemf(KindCorrupt, n.path, "local header at %d truncated", off), n.chain, nil)
	}
	name, extra := string(meta[:nameLen]), meta[nameLen:]
	zip64 := false
	if csize == 0xFFFFFFFF || usize == 0xFFFFFFFF {
		usize, csize, zip64 = zip64Sizes(extra, usize, csize)
	}
	data := off + localHeaderLen + nameLen + extraLen
	e := entry{raw: name, size: usize, mod: dosTime(le16(12), le16(10))}
	e.access, e.birth = zipTimes(extra)
	descriptor := flags&0x8 != 0
	sizesKnown := !descriptor || csize != 0
	if strings.HasSuffix(name, "/") && sizesKnown {
		w.sum.Ignored++
		return data + csize, nil
	}
	switch {
	case flags&0x1 != 0:
		e.err = &Problem{Kind: KindEncrypted, Err: errors.New("zip entry is encrypted")}
	case method != 0 && method != 8 && !zipMethodKnown(method):
		e.err = &Problem{Kind: KindUnsupported, Err: fmt.Errorf("zip compression method %d", method)}
	case !sizesKnown && method != 8:
		e.err = problemf(KindCorrupt, "", "entry of unknown size with method %d: cannot find its end", method)
		return 0, w.member(n, e)
	case sizesKnown && data+csize > sp.n:
		e.err = problemf(KindCorrupt, "", "truncated: %d of %d compressed bytes present", max(sp.n-data, 0), csize)
		return 0, w.member(n, e)
	}
	if e.err != nil {
		if !sizesKnown {
			return 0, w.member(n, e)
		}
		return data + csize, w.member(n, e)
	}
	if !sizesKnown {
		return w.recoverDeflate(n, sp, e, data, zip64)
	}
	if method == 0 {
		s := sp.sub(data, csize)
		e.sp, e.size = &s, csize
		return data + csize, w.member(n, e)
	}
	dec, err := recoverDecoder(method, sp.sub(data, csize).reader(), w.lim)
	if err != nil {
		e.err = asProblem(err, "")
		return data + csize, w.member(n, e)
	}
	defer dec.Close()
	e.stream = &meter{r: dec, w: w, a: n.acct}
	e.independent = true
	return data + csize, w.member(n, e)
}

// recoverDeflate walks a deflated entry whose sizes follow its data (in a
// data descriptor): the deflate stream itself tells where it ends.
func (w *walker) recoverDeflate(n *node, sp span, e entry, data int64, zip64 bool) (int64, error) {
	e.size = -1
	src := &countReader{r: io.NewSectionReader(sp, data, sp.n-data)}
	br := bufio.NewReader(src)
	fr := flate.NewReader(br)
	defer fr.Close()
	e.stream = &meter{r: fr, w: w, a: n.acct}
	if err := w.member(n, e); err != nil {
		return 0, err
	}
	if n.halted() {
		return 0, nil
	}
	if _, err := io.Copy(io.Discard, e.stream); err != nil {
		return 0, nil // reported by member when it read the entry
	}
	end := data + src.n - int64(br.Buffered())
	var sig [4]byte
	sp.ReadAt(sig[:], end)
	if bytes.Equal(sig[:], []byte("PK\x07\x08")) {
		end += 4
	}
	if zip64 {
		return end + 4 + 16, nil
	}
	return end + 4 + 8, nil
}

func recoverDecoder(method uint16, r io.Reader, lim Limits) (io.ReadCloser, error) {
	switch method {
	case 8:
		return flate.NewReader(r), nil
	case methodBzip2:
		return newDecompressor(FormatBzip2, r, lim)
	case methodZstd:
		return newDecompressor(FormatZstd, r, lim)
	}
	return newDecompressor(FormatXz, r, lim)
}

// zip64Sizes reads the sizes a zip64 extra field (0x0001) gives in place of
// 0xFFFFFFFF: uncompressed first, then compressed.
func zip64Sizes(extra []byte, usize, csize int64) (int64, int64, bool) {
	for len(extra) >= 4 {
		tag := binary.LittleEndian.Uint16(extra)
		size := int(binary.LittleEndian.Uint16(extra[2:]))
		if 4+size > len(extra) {
			break
		}
		body := extra[4 : 4+size]
		extra = extra[4+size:]
		if tag != 1 {
			continue
		}
		read := func(v *int64) {
			if *v == 0xFFFFFFFF && len(body) >= 8 {
				*v = int64(binary.LittleEndian.Uint64(body) & (1<<63 - 1))
				body = body[8:]
			}
		}
		read(&usize)
		read(&csize)
		return usize, csize, true
	}
	return usize, csize, false
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
