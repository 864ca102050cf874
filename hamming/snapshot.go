package hamming

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/bits"
	"slices"
	"unsafe"
)

// Snapshot format, version 1, little-endian throughout:
//
//	file header (32 bytes): "HAVENHIX", version u32, segments u32,
//	    entries u64 (live), reserved u32 (0), CRC-32C of the 28 before
//	per segment, header (24 bytes): hashes u64, boxes u16 (0: no
//	    tables), directory bits u8, entry bytes u8, id bytes u8 (4 or 8),
//	    3 bytes 0, removed u32, CRC-32C of the 20 before;
//	    then its arrays: ids (u32 or u64, strictly ascending), hashes (32
//	    bytes each, in Hash order), tombstone bitmap (u64 words), and per
//	    box the directory offsets (u32) and entries (entry bytes each)
//
// Every array is written in blocks of at most 1 MiB, each followed by its
// CRC-32C; lengths follow from the headers. Tables are stored rather than
// rebuilt so that loading is mostly reading; the layout itself is
// recomputed from (hashes, boxes, directory bits) and every value that
// could steer a search out of bounds is checked.
const (
	snapMagic    = "HAVENHIX"
	snapVersion  = 1
	fileHdrLen   = 32
	segHdrLen    = 24
	snapBlockLen = 1 << 20
)

var (
	// ErrCorrupt reports a snapshot that is truncated, fails a checksum or
	// breaks the format's rules.
	ErrCorrupt = errors.New("corrupt snapshot")
	// ErrVersion reports a snapshot of a format version this code does not read.
	ErrVersion = errors.New("unsupported snapshot version")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// WriteTo writes a snapshot of the index to w. It captures the segments
// under the writer lock (copying tombstones and the small tail), then
// writes without holding any lock, so searches and writers proceed.
func (x *Index) WriteTo(w io.Writer) (int64, error) {
	x.wmu.Lock()
	segs := make([]segView, 0, len(x.segs)+1)
	for _, s := range x.segs { // immutable but for tombstones
		segs = append(segs, segView{s, slices.Clone(s.dead), s.ndead})
	}
	tail := make([]Entry, len(x.tail))
	for i := range x.tail {
		tail[i] = Entry{ID: x.tail[i], Hash: x.th[i].hash()}
	}
	live := x.n
	x.wmu.Unlock()
	if len(tail) > 0 {
		ids, hs := sortEntries(tail)
		s := &segment{n: len(ids), ids: newIDList(ids), hs: hs, dead: make([]uint64, (len(ids)+63)/64)}
		segs = append(segs, segView{s, s.dead, 0})
	}
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 64<<10)
	sw := &snapWriter{w: bw}
	sw.header(segs, live)
	for _, v := range segs {
		sw.segment(v)
	}
	if sw.err == nil {
		sw.err = bw.Flush()
	}
	if sw.err != nil {
		return cw.n, fmt.Errorf("hamming: write snapshot: %w", sw.err)
	}
	return cw.n, nil
}

// segView is a segment with its tombstones as captured for a snapshot.
type segView struct {
	s     *segment
	dead  []uint64
	ndead int
}

type snapWriter struct {
	w   io.Writer
	buf []byte
	err error
}

func (sw *snapWriter) write(b []byte) {
	if sw.err == nil {
		_, sw.err = sw.w.Write(b)
	}
}

func (sw *snapWriter) header(segs []segView, live int) {
	h := make([]byte, 0, fileHdrLen)
	h = append(h, snapMagic...)
	h = binary.LittleEndian.AppendUint32(h, snapVersion)
	h = binary.LittleEndian.AppendUint32(h, uint32(len(segs)))
	h = binary.LittleEndian.AppendUint64(h, uint64(live))
	h = binary.LittleEndian.AppendUint32(h, 0)
	sw.write(binary.LittleEndian.AppendUint32(h, crc32.Checksum(h, castagnoli)))
}

func (sw *snapWriter) segment(v segView) {
	s := v.s
	m, d, eb := 0, uint(0), uint(0)
	if s.lay != nil {
		m, d, eb = len(s.lay.boxes), s.lay.dirBits, s.lay.entryBytes
	}
	h := binary.LittleEndian.AppendUint64(nil, uint64(s.n))
	h = binary.LittleEndian.AppendUint16(h, uint16(m))
	h = append(h, byte(d), byte(eb), byte(s.ids.bytes()), 0, 0, 0)
	h = binary.LittleEndian.AppendUint32(h, uint32(v.ndead))
	sw.write(binary.LittleEndian.AppendUint32(h, crc32.Checksum(h, castagnoli)))
	if s.ids.wide != nil {
		writeArray(sw, s.ids.wide, 8, encU64)
	} else {
		writeArray(sw, s.ids.narrow, 4, encU32)
	}
	writeArray(sw, s.hs, 32, encWords)
	writeArray(sw, v.dead, 8, encU64)
	for _, t := range s.tabs {
		writeArray(sw, t.dir.offsets(), 4, encU32)
		writeArray(sw, t.ent[:s.n*int(eb)], 1, encBytes)
	}
}

// writeArray writes a in blocks of snapBlockLen bytes, each with its CRC.
// On little-endian machines the format is the memory layout and blocks are
// written straight from a; elsewhere enc encodes them.
func writeArray[T any](sw *snapWriter, a []T, size int, enc func([]byte, []T)) {
	per := snapBlockLen / size
	need := 4
	if !littleEndian {
		need += min(per, len(a)) * size
	}
	if cap(sw.buf) < need {
		sw.buf = make([]byte, need)
	}
	for len(a) > 0 && sw.err == nil {
		k := min(per, len(a))
		var b []byte
		if littleEndian {
			b = asBytes(a[:k])
		} else {
			b = sw.buf[4 : 4+k*size]
			enc(b, a[:k])
		}
		sw.write(b)
		sw.write(binary.LittleEndian.AppendUint32(sw.buf[:0], crc32.Checksum(b, castagnoli)))
		a = a[k:]
	}
}

// littleEndian reports whether the machine's memory layout of integers
// (and so of words) is the snapshot's.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// asBytes views a slice of plain integers as its bytes.
func asBytes[T any](a []T) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(a))), uintptr(len(a))*unsafe.Sizeof(*new(T)))
}

func encU32(b []byte, a []uint32) {
	for i, v := range a {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
}

func encU64(b []byte, a []uint64) {
	for i, v := range a {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
}

func encWords(b []byte, a []words) {
	for i := range a {
		h := a[i].hash()
		copy(b[32*i:], h[:])
	}
}

func encBytes(b, a []byte) { copy(b, a) }

func decBytes(a, b []byte) { copy(a, b) }

func decU32(a []uint32, b []byte) {
	for i := range a {
		a[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
}

func decU64(a []uint64, b []byte) {
	for i := range a {
		a[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
}

func decWords(a []words, b []byte) {
	for i := range a {
		a[i] = toWords((*Hash)(b[32*i : 32*i+32]))
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Load reads a snapshot written by WriteTo into a new index with default
// options. A damaged snapshot yields an error wrapping ErrCorrupt (or
// ErrVersion), never a partial index and never a panic.
func Load(r io.Reader) (*Index, error) { return LoadWithOptions(r, Options{}) }

// LoadWithOptions is Load with options for the new index (they steer later
// rebuilds; loaded tables keep their layout).
func LoadWithOptions(r io.Reader, o Options) (*Index, error) {
	sr := &snapReader{r: r}
	segs, live, err := sr.read()
	if err != nil {
		return nil, fmt.Errorf("hamming: load snapshot: %w", err)
	}
	x := NewWithOptions(o)
	x.segs, x.n = segs, live
	return x, nil
}

func corrupt(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, a...))
}

type snapReader struct {
	r   io.Reader
	buf []byte
}

// full reads exactly len(b) bytes; running out is corruption.
func (sr *snapReader) full(b []byte, what string) error {
	if _, err := io.ReadFull(sr.r, b); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, what, err)
	}
	return nil
}

func (sr *snapReader) read() ([]*segment, int, error) {
	h := make([]byte, fileHdrLen)
	if err := sr.full(h, "header"); err != nil {
		return nil, 0, err
	}
	if !bytes.Equal(h[:8], []byte(snapMagic)) {
		return nil, 0, corrupt("not a hamming index snapshot")
	}
	if crc32.Checksum(h[:28], castagnoli) != binary.LittleEndian.Uint32(h[28:]) {
		return nil, 0, corrupt("header checksum mismatch")
	}
	if v := binary.LittleEndian.Uint32(h[8:]); v != snapVersion {
		return nil, 0, fmt.Errorf("%w: version %d (this code reads %d)", ErrVersion, v, snapVersion)
	}
	nseg := binary.LittleEndian.Uint32(h[12:])
	live := binary.LittleEndian.Uint64(h[16:])
	var segs []*segment
	total := uint64(0)
	for i := range nseg {
		s, err := sr.segment()
		if err != nil {
			return nil, 0, fmt.Errorf("segment %d: %w", i, err)
		}
		segs = append(segs, s)
		total += uint64(s.live())
	}
	if total != live {
		return nil, 0, corrupt("%d live entries, header says %d", total, live)
	}
	return segs, int(live), nil
}

func (sr *snapReader) segment() (*segment, error) {
	h := make([]byte, segHdrLen)
	if err := sr.full(h, "segment header"); err != nil {
		return nil, err
	}
	if crc32.Checksum(h[:20], castagnoli) != binary.LittleEndian.Uint32(h[20:]) {
		return nil, corrupt("segment header checksum mismatch")
	}
	n64 := binary.LittleEndian.Uint64(h)
	m := binary.LittleEndian.Uint16(h[8:])
	d, eb, ib := uint(h[10]), uint(h[11]), h[12]
	ndead := binary.LittleEndian.Uint32(h[16:])
	if n64 == 0 || n64 > maxSegment || uint64(ndead) > n64 || m > 64 || d > maxDirBits ||
		(ib != 4 && ib != 8) || h[13]|h[14]|h[15] != 0 {
		return nil, corrupt("segment of %d hashes, %d boxes, %d directory bits, %d-byte ids, %d removed",
			n64, m, d, ib, ndead)
	}
	n := int(n64)
	s := &segment{n: n, ndead: int(ndead)}
	if m > 0 {
		if s.lay = newLayout(n, int(m), d, eb); s.lay == nil {
			return nil, corrupt("no layout of %d boxes, %d directory bits and %d-byte entries for %d hashes",
				m, d, eb, n)
		}
	}
	var err error
	if ib == 8 {
		s.ids.wide, err = readGrowing(sr, n, 8, decU64)
	} else {
		s.ids.narrow, err = readGrowing(sr, n, 4, decU32)
	}
	if err != nil {
		return nil, fmt.Errorf("ids: %w", err)
	}
	for p := 1; p < n; p++ {
		if s.ids.at(p) <= s.ids.at(p-1) {
			return nil, corrupt("ids out of order at %d", p)
		}
	}
	if s.hs, err = readArray(sr, makeHuge[words](n), 32, decWords); err != nil {
		return nil, fmt.Errorf("hashes: %w", err)
	}
	if s.dead, err = readArray(sr, make([]uint64, (n+63)/64), 8, decU64); err != nil {
		return nil, fmt.Errorf("tombstones: %w", err)
	}
	if err := checkDead(s.dead, n, int(ndead)); err != nil {
		return nil, err
	}
	if s.lay != nil {
		if err := sr.tables(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// readGrowing reads an array of n elements (a segment's ids). The count
// comes from a header that a damaged file could inflate, so beyond 2^20
// elements the array grows only as data arrives (arrays read after it are
// then bounded by a multiple of what was read).
func readGrowing[T any](sr *snapReader, n, size int, dec func([]T, []byte)) ([]T, error) {
	const trusted = 1 << 20
	if n <= trusted {
		return readArray(sr, makeHuge[T](n), size, dec)
	}
	a := make([]T, 0, trusted)
	for len(a) < n {
		part, err := readArray(sr, make([]T, min(trusted, n-len(a))), size, dec)
		if err != nil {
			return nil, err
		}
		a = append(a, part...)
	}
	exact := makeHuge[T](n)
	copy(exact, a)
	return exact, nil
}

func checkDead(dead []uint64, n, ndead int) error {
	c := 0
	for _, w := range dead {
		c += bits.OnesCount64(w)
	}
	if n%64 != 0 && dead[len(dead)-1]>>(n%64) != 0 {
		return corrupt("tombstone beyond the last hash")
	}
	if c != ndead {
		return corrupt("%d tombstones, header says %d", c, ndead)
	}
	return nil
}

// tables reads and checks a segment's tables: offsets must ascend from 0
// to n and every entry's position must be below n, so no search can index
// out of range whatever the bytes.
func (sr *snapReader) tables(s *segment) error {
	n, d, eb := s.n, s.lay.dirBits, int(s.lay.entryBytes)
	s.allocTables()
	pm := uint64(1)<<s.lay.posBits - 1
	off := make([]uint32, 1<<d+1)
	for i := range s.tabs {
		t := &s.tabs[i]
		off, err := readArray(sr, off[:1<<d+1], 4, decU32)
		if err != nil {
			return fmt.Errorf("table %d offsets: %w", i, err)
		}
		if off[0] != 0 || off[1<<d] != uint32(n) {
			return corrupt("table %d offsets span %d..%d, want 0..%d", i, off[0], off[1<<d], n)
		}
		for v := 1; v < len(off); v++ {
			if off[v] < off[v-1] {
				return corrupt("table %d offsets descend at %d", i, v)
			}
		}
		t.dir = newDirectory(slices.Clone(off))
		if _, err := readArray(sr, t.ent[:n*eb], 1, decBytes); err != nil {
			return fmt.Errorf("table %d entries: %w", i, err)
		}
		for k := range n {
			if p := entryAt(t.ent, k, eb) & pm; p >= uint64(n) {
				return corrupt("table %d entry position %d of %d", i, p, n)
			}
		}
	}
	return nil
}

// readArray fills a from blocks of snapBlockLen bytes, checking each CRC.
// On little-endian machines blocks are read straight into a; elsewhere dec
// decodes them.
func readArray[T any](sr *snapReader, a []T, size int, dec func([]T, []byte)) ([]T, error) {
	per := snapBlockLen / size
	// The buffer holds a block's checksum after it, and the block itself
	// where it cannot be read in place.
	need := 4
	if !littleEndian {
		need += min(per, len(a)) * size
	}
	if cap(sr.buf) < need {
		sr.buf = make([]byte, need)
	}
	for done := 0; done < len(a); {
		k := min(per, len(a)-done)
		var b []byte
		if littleEndian {
			b = asBytes(a[done : done+k])
		} else {
			b = sr.buf[4 : 4+k*size]
		}
		if err := sr.full(b, "array"); err != nil {
			return nil, err
		}
		sum := sr.buf[:4]
		if err := sr.full(sum, "array"); err != nil {
			return nil, err
		}
		if crc32.Checksum(b, castagnoli) != binary.LittleEndian.Uint32(sum) {
			return nil, corrupt("block checksum mismatch")
		}
		if !littleEndian {
			dec(a[done:done+k], b)
		}
		done += k
	}
	return a, nil
}
