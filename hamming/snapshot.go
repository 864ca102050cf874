package hamming

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
)

// Snapshot format, version 1, little-endian:
//
//	header: "HAVENHIX", version u32, reserved u32 (0), count u64,
//	        CRC-32C of the preceding 24 bytes
//	blocks: n u32 (1..blockMax), n × (id u64, hash [32]byte),
//	        CRC-32C of n and the records
//	end:    n = 0
//
// Records are in strictly ascending id order. Only entries are stored: the
// tables are rebuilt on load (about as fast as reading them would be, and a
// snapshot can never hold tables that disagree with its hashes).
const (
	snapMagic   = "HAVENHIX"
	snapVersion = 1
	headerLen   = 28
	recordLen   = 40
	blockMax    = 1 << 16
)

var (
	// ErrCorrupt reports a snapshot that is truncated, fails a checksum
	// or breaks the format's rules.
	ErrCorrupt = errors.New("hamming: corrupt snapshot")
	// ErrVersion reports a snapshot of a format version this code does not read.
	ErrVersion = errors.New("hamming: unsupported snapshot version")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// source is one id-ordered run of entries captured for a snapshot.
type source struct {
	ids  []uint64
	hs   []words
	dead []uint64 // nil: all live
	p    int
}

func (s *source) skipDead() {
	for s.dead != nil && s.p < len(s.ids) && s.dead[s.p>>6]&(1<<(uint(s.p)&63)) != 0 {
		s.p++
	}
}

// WriteTo writes a snapshot of the index to w. It captures the entries
// under the writer lock (copying tombstones and the small tail), then
// writes without holding any lock, so searches and writers proceed.
func (x *Index) WriteTo(w io.Writer) (int64, error) {
	x.wmu.Lock()
	srcs := make([]*source, 0, len(x.segs)+1)
	for _, s := range x.segs {
		srcs = append(srcs, &source{ids: s.ids, hs: s.hs, dead: slices.Clone(s.dead)})
	}
	tail := make([]Entry, len(x.tail))
	for i := range x.tail {
		tail[i] = Entry{ID: x.tail[i], Hash: x.th[i].hash()}
	}
	count := x.n
	x.wmu.Unlock()
	ids, hs := sortEntries(tail)
	srcs = append(srcs, &source{ids: ids, hs: hs})

	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	if err := writeSnapshot(bw, srcs, count); err != nil {
		return cw.n, fmt.Errorf("hamming: write snapshot: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return cw.n, fmt.Errorf("hamming: write snapshot: %w", err)
	}
	return cw.n, nil
}

func writeSnapshot(w io.Writer, srcs []*source, count int) error {
	hdr := make([]byte, headerLen)
	copy(hdr, snapMagic)
	binary.LittleEndian.PutUint32(hdr[8:], snapVersion)
	binary.LittleEndian.PutUint64(hdr[16:], uint64(count))
	binary.LittleEndian.PutUint32(hdr[24:], crc32.Checksum(hdr[:24], castagnoli))
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	buf := make([]byte, 4, 4+blockMax*recordLen+4)
	written := 0
	for {
		buf = buf[:4]
		n := 0
		for ; n < blockMax; n++ {
			s := nextSource(srcs) // k-way merge by id; k is small
			if s == nil {
				break
			}
			buf = binary.LittleEndian.AppendUint64(buf, s.ids[s.p])
			h := s.hs[s.p].hash()
			buf = append(buf, h[:]...)
			s.p++
		}
		binary.LittleEndian.PutUint32(buf, uint32(n))
		if n == 0 {
			break
		}
		buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli))
		if _, err := w.Write(buf); err != nil {
			return err
		}
		written += n
	}
	if written != count {
		return fmt.Errorf("internal error: %d entries written, %d counted", written, count)
	}
	_, err := w.Write(buf[:4])
	return err
}

// nextSource returns the source holding the smallest next live id.
func nextSource(srcs []*source) *source {
	var best *source
	for _, s := range srcs {
		s.skipDead()
		if s.p < len(s.ids) && (best == nil || s.ids[s.p] < best.ids[best.p]) {
			best = s
		}
	}
	return best
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

// Load reads a snapshot written by WriteTo and builds an index with default
// options. A damaged snapshot yields an error wrapping ErrCorrupt (or
// ErrVersion), never a partial index.
func Load(r io.Reader) (*Index, error) { return LoadWithOptions(r, Options{}) }

// LoadWithOptions is Load with options for the new index.
func LoadWithOptions(r io.Reader, o Options) (*Index, error) {
	ids, hs, err := readSnapshot(r)
	if err != nil {
		return nil, err
	}
	x := NewWithOptions(o)
	x.n = len(ids)
	if len(ids) > 0 {
		for len(ids) > maxSegment {
			x.segs = append(x.segs, newSegment(ids[:maxSegment:maxSegment], hs[:maxSegment:maxSegment], &x.opts))
			ids, hs = ids[maxSegment:], hs[maxSegment:]
		}
		x.segs = append(x.segs, newSegment(ids, hs, &x.opts))
	}
	return x, nil
}

func corrupt(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, a...))
}

func readSnapshot(r io.Reader) ([]uint64, []words, error) {
	hdr := make([]byte, headerLen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, nil, fmt.Errorf("%w: header: %w", ErrCorrupt, err)
	}
	if !bytes.Equal(hdr[:8], []byte(snapMagic)) {
		return nil, nil, corrupt("not a hamming index snapshot")
	}
	if crc32.Checksum(hdr[:24], castagnoli) != binary.LittleEndian.Uint32(hdr[24:]) {
		return nil, nil, corrupt("header checksum mismatch")
	}
	if v := binary.LittleEndian.Uint32(hdr[8:]); v != snapVersion {
		return nil, nil, fmt.Errorf("%w: version %d (this code reads %d)", ErrVersion, v, snapVersion)
	}
	count := binary.LittleEndian.Uint64(hdr[16:])
	// Trust the count only as far as the data backs it: a damaged count
	// must not make us allocate gigabytes.
	ids := make([]uint64, 0, min(count, 1<<24))
	hs := makeHuge[words](int(min(count, 1<<24)))[:0]
	buf := make([]byte, 4+blockMax*recordLen+4)
	for blk := 0; ; blk++ {
		if _, err := io.ReadFull(r, buf[:4]); err != nil {
			return nil, nil, fmt.Errorf("%w: block %d: %w", ErrCorrupt, blk, err)
		}
		n := int(binary.LittleEndian.Uint32(buf))
		if n == 0 {
			break
		}
		if n > blockMax || uint64(len(ids)+n) > count {
			return nil, nil, corrupt("block %d: %d records", blk, n)
		}
		body := buf[:4+n*recordLen+4]
		if _, err := io.ReadFull(r, body[4:]); err != nil {
			return nil, nil, fmt.Errorf("%w: block %d: %w", ErrCorrupt, blk, err)
		}
		end := 4 + n*recordLen
		if crc32.Checksum(body[:end], castagnoli) != binary.LittleEndian.Uint32(body[end:]) {
			return nil, nil, corrupt("block %d checksum mismatch", blk)
		}
		for rec := body[4:end]; len(rec) > 0; rec = rec[recordLen:] {
			id := binary.LittleEndian.Uint64(rec)
			if len(ids) > 0 && id <= ids[len(ids)-1] {
				return nil, nil, corrupt("block %d: id %d out of order", blk, id)
			}
			ids = append(ids, id)
			hs = append(hs, toWords((*Hash)(rec[8:recordLen])))
		}
	}
	if uint64(len(ids)) != count {
		return nil, nil, corrupt("%d entries, header says %d", len(ids), count)
	}
	return ids, hs, nil
}
