package ingest

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// decompressor is a decompressing reader; Name is the original file name
// a gzip header records.
type decompressor struct {
	io.Reader
	Name    string
	ModTime time.Time
	close   func()
}

func (d *decompressor) Close() error {
	if d.close != nil {
		d.close()
	}
	return nil
}

var errWindow = errors.New("decoder window too large")

// newDecompressor opens a compressed stream of format f. Header errors are
// returned as they are; the caller decides what kind of problem they are.
func newDecompressor(f Format, r io.Reader, lim Limits) (*decompressor, error) {
	switch f {
	case FormatGzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		return &decompressor{Reader: zr, Name: zr.Name, ModTime: zr.ModTime}, nil
	case FormatBzip2:
		return &decompressor{Reader: bzip2.NewReader(r)}, nil
	case FormatXz:
		br := bufio.NewReaderSize(r, 4096)
		head, _ := br.Peek(1024)
		if win := xzWindow(head); win > lim.MaxWindow {
			return nil, fmt.Errorf("xz dictionary of %d bytes: %w", win, errWindow)
		}
		xr, err := xz.NewReader(br)
		if err != nil {
			return nil, err
		}
		return &decompressor{Reader: xr}, nil
	case FormatZstd:
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(uint64(lim.MaxWindow)), zstd.WithDecoderMaxMemory(uint64(lim.MaxWindow)))
		if err != nil {
			return nil, err
		}
		return &decompressor{Reader: zr, close: zr.Close}, nil
	}
	return nil, fmt.Errorf("%s is not a compression format", f)
}

// xzWindow reads the LZMA2 dictionary size from the first block header of
// an xz stream (the decoder allocates it whole); 0 if head holds none.
// Later blocks are not checked.
func xzWindow(h []byte) int64 {
	const streamHeader = 12
	if len(h) < streamHeader+2 || h[streamHeader] == 0 {
		return 0
	}
	size := (int(h[streamHeader]) + 1) * 4
	if len(h) < streamHeader+size {
		return 0
	}
	bh := h[streamHeader+1 : streamHeader+size]
	flags := bh[0]
	p := 1
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && p < len(bh); i++ {
			c := bh[p]
			p++
			v |= uint64(c&0x7f) << (7 * i)
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	for _, bit := range []byte{0x40, 0x80} { // compressed, uncompressed size
		if flags&bit != 0 {
			if _, ok := varint(); !ok {
				return 0
			}
		}
	}
	for range int(flags&3) + 1 {
		id, ok1 := varint()
		n, ok2 := varint()
		if !ok1 || !ok2 || p+int(n) > len(bh) {
			return 0
		}
		if id == 0x21 && n == 1 {
			d := bh[p]
			if d >= 40 {
				return 1<<32 - 1
			}
			return int64(2|d&1) << (d/2 + 11)
		}
		p += int(n)
	}
	return 0
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
