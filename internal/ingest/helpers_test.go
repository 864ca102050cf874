package ingest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// file is a member to put in a generated archive.
type file struct {
	name   string
	data   []byte
	store  bool      // zip: stored, not deflated
	mod    time.Time // zero: a fixed time
	header *zip.FileHeader
}

var fixedTime = time.Date(2020, 5, 6, 7, 8, 10, 0, time.UTC)

func makeZip(t testing.TB, files ...file) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := f.header
		if h == nil {
			h = &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: f.mod}
			if f.store {
				h.Method = zip.Store
			}
			if h.Modified.IsZero() {
				h.Modified = fixedTime
			}
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// makeRawZip writes members with sizes in their local headers (no data
// descriptors), stored or deflated, as many tools do.
func makeRawZip(t testing.TB, files ...file) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Store, Modified: fixedTime,
			CRC32: crc32.ChecksumIEEE(f.data), UncompressedSize64: uint64(len(f.data))}
		body := f.data
		if !f.store {
			h.Method = zip.Deflate
			body = deflate(t, f.data)
		}
		h.CompressedSize64 = uint64(len(body))
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func deflate(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "x", Method: zip.Deflate})
	w.Write(data)
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := zr.File[0].OpenRaw()
	raw, _ := io.ReadAll(rc)
	return raw
}

func makeTar(t testing.TB, files ...file) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		mod := f.mod
		if mod.IsZero() {
			mod = fixedTime
		}
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), ModTime: mod, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, name string, data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Name = name
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func xzData(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	w, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

func zstdData(t testing.TB, data []byte) []byte {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(data, nil)
}

func fixture(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// write puts data in dir/name and returns the path.
func write(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// got is one yielded item as a test sees it.
type got struct {
	path   string
	data   string
	format Format
	kind   Kind
	limit  string
	err    error
	item   *Item
}

func (g got) String() string {
	switch {
	case g.kind != 0:
		return g.path + " [" + g.kind.String() + " " + g.limit + "]"
	case g.format != "":
		return g.path + " (" + string(g.format) + ")"
	}
	if len(g.data) > 40 {
		return g.path + " = " + g.data[:40] + "…"
	}
	return g.path + " = " + g.data
}

// noise returns n reproducible bytes that do not compress.
func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// collect walks inputs, reads every item whole and releases it, and checks
// that every budget byte came back.
func collect(t testing.TB, inputs []string, opt Options) ([]got, Summary) {
	t.Helper()
	var out []got
	yield := func(it *Item) error {
		out = append(out, read(t, it))
		return nil
	}
	w, err := newWalker(context.Background(), opt, yield)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		if err := w.input(in); err != nil {
			t.Fatalf("walk: %v", err)
		}
	}
	checkBudgets(t, w)
	return out, w.summary()
}

// collectBytes walks data as an input named name.
func collectBytes(t testing.TB, name string, data []byte, opt Options) ([]got, Summary) {
	t.Helper()
	var out []got
	w, err := newWalker(context.Background(), opt, func(it *Item) error {
		out = append(out, read(t, it))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.readerAt(name, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("walk: %v", err)
	}
	checkBudgets(t, w)
	return out, w.summary()
}

func read(t testing.TB, it *Item) got {
	defer it.Release()
	g := got{path: it.Path, format: it.Format, err: it.Err, item: it}
	var p *Problem
	if errors.As(it.Err, &p) {
		g.kind, g.limit = p.Kind, p.Limit
		return g
	}
	if it.Err != nil {
		t.Fatalf("%s: Err is not a *Problem: %v", it.Path, it.Err)
	}
	b, err := it.ReadAll()
	if err != nil {
		if errors.As(err, &p) {
			g.kind, g.err = p.Kind, err
			return g
		}
		t.Fatalf("%s: read: %v", it.Path, err)
	}
	if it.Format == "" {
		g.data = string(b)
	}
	if it.Format == "" && int64(len(b)) != it.Size {
		t.Errorf("%s: read %d bytes, Size %d", it.Path, len(b), it.Size)
	}
	return g
}

func checkBudgets(t testing.TB, w *walker) {
	t.Helper()
	for name, b := range map[string]*budget{"memory": w.mem, "disk": w.disk} {
		used, pinned, _ := b.state()
		if used != 0 || pinned != 0 {
			t.Errorf("%s budget not returned: used %d, pinned %d", name, used, pinned)
		}
	}
}

// lines renders results one per line, for comparing with a want list.
func lines(gs []got) string {
	var b strings.Builder
	for _, g := range gs {
		b.WriteString(g.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func wantLines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func zipHeader(name string, mod time.Time, extra []byte) *zip.FileHeader {
	return &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod, Extra: extra}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
