package hamming

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math/bits"
	"testing"
)

func snapshotOf(t testing.TB, x *Index) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := x.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("WriteTo returned %d, wrote %d", n, buf.Len())
	}
	return buf.Bytes()
}

func TestSnapshotRoundTrip(t *testing.T) {
	rnd := newRand(3)
	x := New()
	es := clustered(rnd, 5000)
	x.AddBatch(es[:3000])
	for _, e := range es[3000:] {
		x.Add(e.ID, e.Hash) // some in the tail, some in small segments
	}
	for id := uint64(1); id < 200; id += 3 {
		x.Remove(id)
	}
	snap := snapshotOf(t, x)
	y, err := Load(bytes.NewReader(snap))
	if err != nil {
		t.Fatal(err)
	}
	if y.Len() != x.Len() {
		t.Fatalf("Len %d, want %d", y.Len(), x.Len())
	}
	for _, q := range queries(rnd, es, 30, 31) {
		for _, r := range []int{0, 10, 31, 60} {
			sameResults(t, "loaded", q, r, y.Search(q, r, nil), x.Search(q, r, nil))
		}
	}
	// A snapshot of the loaded index is byte-identical.
	if again := snapshotOf(t, y); !bytes.Equal(again, snap) {
		t.Fatal("snapshot of loaded index differs")
	}
	// Empty index.
	e, err := Load(bytes.NewReader(snapshotOf(t, New())))
	if err != nil || e.Len() != 0 {
		t.Fatalf("empty round trip: %v, %d entries", err, e.Len())
	}
}

func TestSnapshotCorrupt(t *testing.T) {
	x := New()
	rnd := newRand(4)
	x.AddBatch(clustered(rnd, 300))
	good := snapshotOf(t, x)
	if _, err := Load(bytes.NewReader(good)); err != nil {
		t.Fatal(err)
	}
	// Every truncation fails.
	for n := 0; n < len(good); n += 1 + n/16 {
		if _, err := Load(bytes.NewReader(good[:n])); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d bytes: err %v, want ErrCorrupt", n, err)
		}
	}
	// Every single-bit flip fails.
	for i := 0; i < len(good); i += 1 + i/64 {
		bad := bytes.Clone(good)
		bad[i] ^= 0x10
		if _, err := Load(bytes.NewReader(bad)); err == nil {
			t.Fatalf("bit flip at byte %d loaded", i)
		}
	}
	// A future version is reported as such.
	bad := bytes.Clone(good)
	binary.LittleEndian.PutUint32(bad[8:], 2)
	binary.LittleEndian.PutUint32(bad[28:], crc32.Checksum(bad[:28], castagnoli))
	if _, err := Load(bytes.NewReader(bad)); !errors.Is(err, ErrVersion) {
		t.Fatalf("version 2: err %v, want ErrVersion", err)
	}
	// Well-formed snapshots breaking the rules (checksums valid) are corrupt.
	for name, es := range map[string][]Entry{
		"ids out of order": {{ID: 5}, {ID: 3}},
		"duplicate id":     {{ID: 5}, {ID: 5}},
	} {
		if _, err := Load(bytes.NewReader(forgeSnapshot(es, 0))); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("%s: err %v, want ErrCorrupt", name, err)
		}
	}
	for _, n := range []uint64{1 << 40, 1 << 25} {
		if _, err := Load(bytes.NewReader(forgeSnapshot([]Entry{{ID: 1}}, n))); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("count %d: err %v, want ErrCorrupt", n, err)
		}
	}
	// A segment whose tables point beyond its hashes.
	y := New()
	const n = 30000
	y.AddBatch(clustered(rnd, n))
	if y.segs[0].lay == nil {
		t.Fatal("no tables for 30000 hashes")
	}
	eb := int(y.segs[0].lay.entryBytes)
	snap := snapshotOf(t, y)
	last := len(snap) - 4 - eb*n // last table's entries: one block
	binary.LittleEndian.PutUint32(snap[last:], 0x00ffffff)
	blk := snap[last : len(snap)-4]
	binary.LittleEndian.PutUint32(snap[len(snap)-4:], crc32.Checksum(blk, castagnoli))
	if _, err := Load(bytes.NewReader(snap)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("entry out of range: err %v, want ErrCorrupt", err)
	}
}

// forgeSnapshot writes a one-segment, table-less snapshot of es in the
// given order claiming n hashes (len(es) if 0), with valid checksums.
func forgeSnapshot(es []Entry, n uint64) []byte {
	if n == 0 {
		n = uint64(len(es))
	}
	crc := func(b []byte) []byte { return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)) }
	b := append([]byte(nil), snapMagic...)
	b = binary.LittleEndian.AppendUint32(b, snapVersion)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(es)))
	b = crc(binary.LittleEndian.AppendUint32(b, 0))
	seg := binary.LittleEndian.AppendUint64(nil, n)
	seg = append(seg, 0, 0, 0, 0, 8, 0, 0, 0) // no tables, 8-byte ids
	seg = crc(binary.LittleEndian.AppendUint32(seg, 0))
	b = append(b, seg...)
	var ids, hs []byte
	for _, e := range es {
		ids = binary.LittleEndian.AppendUint64(ids, e.ID)
		hs = append(hs, e.Hash[:]...)
	}
	b = append(b, crc(ids)...)
	b = append(b, crc(hs)...)
	return append(b, crc(make([]byte, 8*((len(es)+63)/64)))...)
}

type failWriter struct{ after int }

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.after {
		n := f.after
		f.after = 0
		return n, io.ErrShortWrite
	}
	f.after -= len(p)
	return len(p), nil
}

func TestSnapshotWriteError(t *testing.T) {
	x := New()
	x.AddBatch(clustered(newRand(5), 100))
	if _, err := x.WriteTo(&failWriter{after: 50}); !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("err %v, want io.ErrShortWrite", err)
	}
}

// FuzzLoad feeds damaged snapshots to Load: it must fail cleanly or load
// an index that behaves (never panic).
func FuzzLoad(f *testing.F) {
	x := New()
	x.AddBatch(clustered(newRand(6), 40))
	f.Add(snapshotOf(f, x))
	f.Add(snapshotOf(f, New()))
	f.Add(forgeSnapshot([]Entry{{ID: 1}, {ID: 2}, {ID: 3}}, 0))
	f.Add(forgeSnapshot([]Entry{{ID: 3}, {ID: 1}}, 0))
	f.Add([]byte(snapMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		y, err := Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
				t.Fatalf("error %v wraps neither ErrCorrupt nor ErrVersion", err)
			}
			return
		}
		var q Hash
		y.Search(q, 31, nil)
		if _, err := y.WriteTo(io.Discard); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzLoadChecksummed builds snapshots with valid checksums around fuzzed
// headers and array contents, so that Load's structural checks (layout,
// offsets, positions, id order, tombstones) are what stands between the
// bytes and a search: it must never panic.
func FuzzLoadChecksummed(f *testing.F) {
	f.Add(uint16(300), uint8(11), uint8(8), uint8(0), uint8(4), []byte{1, 2, 3})
	f.Add(uint16(3000), uint8(12), uint8(9), uint8(3), uint8(5), []byte{0xff, 0, 7})
	f.Add(uint16(2), uint8(0), uint8(0), uint8(1), uint8(4), []byte{9})
	f.Fuzz(func(t *testing.T, n uint16, m, d, ndead, eb uint8, fill []byte) {
		if len(fill) == 0 {
			fill = []byte{0}
		}
		k := 0
		next := func(b []byte) []byte { // array bytes cycled from fill
			for i := range b {
				b[i] = fill[k%len(fill)] + byte(k/len(fill))
				k++
			}
			return b
		}
		crc := func(b []byte) []byte { return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)) }
		ib := 4 + 4*int(eb&8>>3) // 4- or 8-byte ids
		ids := make([]byte, ib*int(n))
		for i := 0; i < int(n); i++ { // mostly ascending ids
			id := uint64(i)*3 + uint64(fill[i%len(fill)]&1)
			if ib == 4 {
				binary.LittleEndian.PutUint32(ids[4*i:], uint32(id))
			} else {
				binary.LittleEndian.PutUint64(ids[8*i:], id)
			}
		}
		eb = 4 + eb&1
		dead := next(make([]byte, 8*((int(n)+63)/64)))
		live := int(n)
		for _, c := range dead {
			live -= bits.OnesCount8(c)
		}
		b := append([]byte(nil), snapMagic...)
		b = binary.LittleEndian.AppendUint32(b, snapVersion)
		b = binary.LittleEndian.AppendUint32(b, 1)
		b = binary.LittleEndian.AppendUint64(b, uint64(live))
		b = crc(binary.LittleEndian.AppendUint32(b, 0))
		if d%26 > 16 { // rejected from the header; keep the input small
			m = 1
			d = 17
		}
		seg := binary.LittleEndian.AppendUint64(nil, uint64(n))
		seg = binary.LittleEndian.AppendUint16(seg, uint16(m%20))
		seg = append(seg, d%26, eb, byte(ib), 0, 0, 0)
		seg = crc(binary.LittleEndian.AppendUint32(seg, uint32(ndead)))
		b = append(b, seg...)
		b = append(b, crc(ids)...)
		b = append(b, crc(next(make([]byte, 32*int(n))))...)
		b = append(b, crc(dead)...)
		for range m % 20 {
			off := make([]byte, 4*(1<<(d%26)+1))
			for v := 0; v < len(off)/4; v++ { // mostly ascending offsets
				o := uint32(v * int(n) / max(1, len(off)/4-1))
				if fill[v%len(fill)] == 0xff {
					o ^= 1
				}
				binary.LittleEndian.PutUint32(off[4*v:], o)
			}
			b = append(b, crc(off)...)
			b = append(b, crc(next(make([]byte, int(eb)*int(n))))...)
		}
		y, err := Load(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
				t.Fatalf("error %v wraps neither ErrCorrupt nor ErrVersion", err)
			}
			return
		}
		var q Hash
		next(q[:])
		for _, r := range []int{0, 16, 31, 64, 300} {
			y.Search(q, r, nil)
		}
		y.Add(1, q)
		y.Remove(2)
		if _, err := y.WriteTo(io.Discard); err != nil {
			t.Fatal(err)
		}
	})
}
