package ingest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

func zeros(n int) []byte { return make([]byte, n) }

func TestZipBombRatio(t *testing.T) {
	small := Options{Limits: Limits{RatioFloor: 1 * miB}}
	var many []file
	for i := range 8 {
		many = append(many, file{name: fmt.Sprintf("z%d", i), data: zeros(miB)})
	}
	tests := []struct {
		name string
		data []byte
		opt  Options
		want []string // paths, with [kind limit] for problems; data elided
	}{
		{"one entry over the ratio", makeZip(t, file{name: "ok.txt", data: []byte("ok")}, file{name: "zeros", data: zeros(4 * miB)}, file{name: "after.txt", data: []byte("after")}), small,
			[]string{"b (zip)", "b!/ok.txt = ok", "b!/zeros [limit MaxRatio]", "b!/after.txt = after"}},
		{"archive over the ratio by its sum", makeZip(t, many...), small,
			[]string{"b (zip)", "b!/z0", "b [limit MaxRatio]"}},
		{"under the floor", makeZip(t, file{name: "zeros", data: zeros(miB / 2)}), small,
			[]string{"b (zip)", "b!/zeros"}},
		{"ratio off", makeZip(t, file{name: "zeros", data: zeros(4 * miB)}), Options{Limits: Limits{RatioFloor: miB, MaxRatio: -1}},
			[]string{"b (zip)", "b!/zeros"}},
		{"nested archives add up in the outer one", makeZip(t, nestedZeros(t, 4)...), small,
			[]string{"b (zip)", "b!/i0.zip (zip)", "b!/i0.zip!/z", "b!/i1.zip (zip)", "b [limit MaxRatio]"}},
		{"gzip stream over the ratio", gz(t, "zeros", zeros(4*miB)), small,
			[]string{"b (gzip)", "b [limit MaxRatio]"}},
		{"tar.gz over the ratio", gz(t, "", makeTar(t, file{name: "a", data: []byte("a")}, file{name: "zeros", data: zeros(4 * miB)})), small,
			[]string{"b (tar.gz)", "b!/a = a", "b [limit MaxRatio]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, sum := collectBytes(t, "b", tt.data, tt.opt)
			checkPaths(t, gs, tt.want)
			if sum.PeakMemory > 8*miB {
				t.Errorf("peak memory %d", sum.PeakMemory)
			}
		})
	}
}

// checkPaths compares results with want lines; a line without " = " data
// matches any data.
func checkPaths(t *testing.T, gs []got, want []string) {
	t.Helper()
	var got []string
	for i, g := range gs {
		s := g.String()
		if i < len(want) && !strings.Contains(want[i], " = ") && !strings.Contains(want[i], "[") && !strings.Contains(want[i], "(") {
			s = g.path
		}
		got = append(got, s)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// overlapZip makes the overlapping-entries bomb: n central directory
// records all pointing at one local file.
func overlapZip(t *testing.T, n int) []byte {
	one := makeRawZip(t, file{name: "k", data: zeros(200 * kiB)})
	eocd := bytes.LastIndex(one, []byte("PK\x05\x06"))
	cdOff := int(binary.LittleEndian.Uint32(one[eocd+16:]))
	cd := one[cdOff:eocd]
	var out bytes.Buffer
	out.Write(one[:cdOff])
	for i := range n {
		rec := bytes.Clone(cd)
		rec[46] = 'a' + byte(i%26) // distinct names
		out.Write(rec)
	}
	end := bytes.Clone(one[eocd:])
	binary.LittleEndian.PutUint16(end[8:], uint16(n))
	binary.LittleEndian.PutUint16(end[10:], uint16(n))
	binary.LittleEndian.PutUint32(end[12:], uint32(n*len(cd)))
	out.Write(end)
	return out.Bytes()
}

func TestZipBombOverlap(t *testing.T) {
	gs, _ := collectBytes(t, "o.zip", overlapZip(t, 50), Options{})
	checkPaths(t, gs, []string{"o.zip (zip)", "o.zip [corrupt ]"})
	if !strings.Contains(gs[1].err.Error(), "overlap") {
		t.Errorf("problem %v", gs[1].err)
	}
}

// TestZipQuineLike nests the same zip in itself over and over: the depth
// limit ends it, as it would a zip quine.
func TestDepthLimit(t *testing.T) {
	data := makeZip(t, file{name: "leaf.txt", data: []byte("leaf")})
	for range 7 {
		data = makeZip(t, file{name: "n.zip", data: data, store: true})
	}
	gs, sum := collectBytes(t, "q.zip", data, Options{Limits: Limits{MaxDepth: 3}})
	p := "q.zip"
	want := []string{p + " (zip)"}
	for range 3 {
		p += "!/n.zip"
		want = append(want, p+" (zip)")
	}
	want = append(want, p+" [limit MaxDepth]")
	checkPaths(t, gs, want)
	if sum.Archives != 3 {
		t.Errorf("opened %d archives", sum.Archives)
	}
	gs, _ = collectBytes(t, "q.zip", data, Options{Limits: Limits{MaxDepth: -1}})
	checkPaths(t, gs, []string{"q.zip"})
	if gs[0].format != "" {
		t.Errorf("MaxDepth -1: format %q sniffed", gs[0].format)
	}
}

func TestTraversalNames(t *testing.T) {
	names := []struct{ raw, clean string }{
		{"../../etc/passwd", "etc/passwd"},
		{"/abs/x.jpg", "abs/x.jpg"},
		{`C:\Windows\x.jpg`, "Windows/x.jpg"},
		{`a\b\..\..\..\c.jpg`, "c.jpg"},
		{"nul\x00byte.jpg", "nul%00byte.jpg"},
		{"bad\xffutf8", "bad%FFutf8"},
		{"x.zip!/y", "x.zip%21/y"},
		{"././.", "_"},
		{"dup.jpg", "dup.jpg"},
		{"./dup.jpg", "dup.jpg#2"},
		{"dup.jpg#2", "dup.jpg#2#2"},
		{"//server/share/f", "server/share/f"},
	}
	for _, kind := range []string{"zip", "tar"} {
		t.Run(kind, func(t *testing.T) {
			names := names
			if kind == "tar" { // tar cannot hold a NUL in a name
				names = append(names[:4:4], names[5:]...)
			}
			var files []file
			for _, n := range names {
				files = append(files, file{name: n.raw, data: []byte(n.raw)})
			}
			data := makeZip(t, files...)
			if kind == "tar" {
				data = makeTar(t, files...)
			}
			gs, _ := collectBytes(t, "a", data, Options{})
			if len(gs) != len(names)+1 {
				t.Fatalf("got %d items:\n%s", len(gs), lines(gs))
			}
			for i, n := range names {
				g := gs[i+1]
				if g.path != "a!/"+n.clean || g.item.Name != n.raw || g.data != n.raw {
					t.Errorf("%q: path %q, name %q", n.raw, g.path, g.item.Name)
				}
			}
		})
	}
}

func TestEntryLimits(t *testing.T) {
	var many []file
	for i := range 12 {
		many = append(many, file{name: fmt.Sprintf("f%02d", i), data: []byte("x")})
	}
	t.Run("MaxEntries", func(t *testing.T) {
		opt := Options{Limits: Limits{MaxEntries: 3}}
		gs, _ := collectBytes(t, "m.tar", makeTar(t, many...), opt)
		checkPaths(t, gs, []string{"m.tar (tar)", "m.tar!/f00 = x", "m.tar!/f01 = x", "m.tar!/f02 = x", "m.tar [limit MaxEntries]"})
		// A zip declares its count up front: it is not opened at all.
		gs, _ = collectBytes(t, "m.zip", makeZip(t, many...), opt)
		checkPaths(t, gs, []string{"m.zip (zip)", "m.zip [limit MaxEntries]"})
		if count := zipEntryCount(whole(newMemShared(makeZip(t, many...)))); count != 12 {
			t.Errorf("zipEntryCount %d", count)
		}
	})
	t.Run("MaxEntrySize", func(t *testing.T) {
		data := makeTar(t, file{name: "big", data: zeros(2000)}, file{name: "small", data: []byte("s")})
		gs, _ := collectBytes(t, "t.tar.gz", gz(t, "", data), Options{Limits: Limits{MaxEntrySize: 1000}})
		checkPaths(t, gs, []string{"t.tar.gz (tar.gz)", "t.tar.gz!/big [limit MaxEntrySize]", "t.tar.gz!/small = s"})
		gs, _ = collectBytes(t, "b.gz", gz(t, "", zeros(2000)), Options{Limits: Limits{MaxEntrySize: 1000}})
		checkPaths(t, gs, []string{"b.gz (gzip)", "b.gz!/b [limit MaxEntrySize]"})
	})
	t.Run("MaxArchiveExpanded", func(t *testing.T) {
		data := makeZip(t, file{name: "a", data: zeros(3000)}, file{name: "b", data: zeros(3000)}, file{name: "c", data: zeros(3000)})
		gs, _ := collectBytes(t, "e.zip", data, Options{Limits: Limits{MaxArchiveExpanded: 7000}})
		checkPaths(t, gs, []string{"e.zip (zip)", "e.zip!/a", "e.zip!/b", "e.zip [limit MaxArchiveExpanded]"})
	})
	t.Run("MaxTotalExpanded", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "1.gz", gz(t, "", zeros(3000)))
		write(t, dir, "2.gz", gz(t, "", zeros(3000)))
		write(t, dir, "3.txt", []byte("plain files still come"))
		gs, _ := collect(t, []string{dir}, Options{Limits: Limits{MaxTotalExpanded: 4000}})
		checkPaths(t, gs, []string{dir + "/1.gz (gzip)", dir + "/1.gz!/1", dir + "/2.gz (gzip)", dir + "/2.gz [limit MaxTotalExpanded]",
			dir + "/3.txt = plain files still come"})
	})
}

func TestHugeDeclaredSizes(t *testing.T) {
	// A zip entry claiming 2^62 bytes, and a tar header claiming 1 TiB over
	// a few bytes of data: reported, nothing allocated.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "huge", Method: zip.Deflate, CompressedSize64: 5, UncompressedSize64: 1 << 62})
	w.Write([]byte{3, 0, 0, 0, 0})
	w, _ = zw.CreateRaw(&zip.FileHeader{Name: "ok", Method: zip.Store, CompressedSize64: 2, UncompressedSize64: 2, CRC32: 0x6f0d5a09})
	w.Write([]byte("ok"))
	zw.Close()
	gs, sum := collectBytes(t, "h.zip", buf.Bytes(), Options{})
	checkPaths(t, gs, []string{"h.zip (zip)", "h.zip!/huge [limit MaxEntrySize]", "h.zip!/ok"})

	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	tw.WriteHeader(&tar.Header{Name: "huge", Size: 1 << 40, Mode: 0o644})
	tw.Write([]byte("abc"))
	raw := tb.Bytes()[:tb.Len()]
	for _, name := range []string{"h.tar", "h.tar.gz"} {
		data := raw
		if strings.HasSuffix(name, ".gz") {
			data = gz(t, "", raw)
		}
		gs, s2 := collectBytes(t, name, data, Options{})
		format := "tar"
		if strings.HasSuffix(name, ".gz") {
			format = "tar.gz"
		}
		// The archive is also cut short, and says so.
		checkPaths(t, gs, []string{name + " (" + format + ")", name + "!/huge [limit MaxEntrySize]", name + " [corrupt ]"})
		sum.PeakMemory = max(sum.PeakMemory, s2.PeakMemory)
	}
	if sum.PeakMemory > miB {
		t.Errorf("peak memory %d", sum.PeakMemory)
	}
}

func TestWindowLimit(t *testing.T) {
	data := xzData(t, []byte("small"))
	if win := xzWindow(data); win != 8*miB {
		t.Fatalf("xz window %d, want the writer's default 8 MiB", win)
	}
	gs, _ := collectBytes(t, "w.xz", data, Options{Limits: Limits{MaxWindow: miB}})
	checkPaths(t, gs, []string{"w.xz (xz)", "w.xz [limit MaxWindow]"})
}

// nestedZeros makes n stored zips, each holding 768 KiB of deflated zeros:
// each under the ratio floor alone, over it together.
func nestedZeros(t *testing.T, n int) []file {
	var fs []file
	for i := range n {
		fs = append(fs, file{name: fmt.Sprintf("i%d.zip", i), data: makeZip(t, file{name: "z", data: zeros(768 * kiB)}), store: true})
	}
	return fs
}
