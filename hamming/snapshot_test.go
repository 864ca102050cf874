package hamming

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
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
	binary.LittleEndian.PutUint32(bad[24:], crc32.Checksum(bad[:24], castagnoli))
	if _, err := Load(bytes.NewReader(bad)); !errors.Is(err, ErrVersion) {
		t.Fatalf("version 2: err %v, want ErrVersion", err)
	}
	// Well-formed blocks with ids out of order are corrupt.
	bad = forgeSnapshot([]uint64{5, 3})
	if _, err := Load(bytes.NewReader(bad)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("ids out of order: err %v, want ErrCorrupt", err)
	}
	// A header promising more entries than follow is corrupt, and does not
	// allocate for them.
	bad = forgeSnapshot([]uint64{1})
	binary.LittleEndian.PutUint64(bad[16:], 1<<60)
	binary.LittleEndian.PutUint32(bad[24:], crc32.Checksum(bad[:24], castagnoli))
	if _, err := Load(bytes.NewReader(bad)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("huge count: err %v, want ErrCorrupt", err)
	}
}

// forgeSnapshot writes a snapshot with one block holding ids in the given
// order and zero hashes, with valid checksums.
func forgeSnapshot(ids []uint64) []byte {
	var b []byte
	b = append(b, snapMagic...)
	b = binary.LittleEndian.AppendUint32(b, snapVersion)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(ids)))
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	blk := binary.LittleEndian.AppendUint32(nil, uint32(len(ids)))
	for _, id := range ids {
		blk = binary.LittleEndian.AppendUint64(blk, id)
		blk = append(blk, make([]byte, 32)...)
	}
	blk = binary.LittleEndian.AppendUint32(blk, crc32.Checksum(blk, castagnoli))
	b = append(b, blk...)
	return binary.LittleEndian.AppendUint32(b, 0)
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
	f.Add(forgeSnapshot([]uint64{1, 2, 3}))
	f.Add(forgeSnapshot([]uint64{3, 1}))
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
