package ingest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	a := []byte("a bridge at dusk\n")
	b := []byte("a test card\n")
	two := []file{{name: "a.txt", data: a}, {name: "dir/b.txt", data: b}}
	tarTwo := makeTar(t, two...)
	members := func(name string, f Format) string {
		return wantLines(name+" ("+string(f)+")", name+"!/a.txt = "+string(a), name+"!/dir/b.txt = "+string(b))
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"plain.jpg", []byte("not an archive"), wantLines("plain.jpg = not an archive")},
		{"empty", nil, wantLines("empty = ")},
		{"deflated.zip", makeZip(t, two...), members("deflated.zip", FormatZip)},
		{"stored.zip", makeZip(t, file{name: "a.txt", data: a, store: true}, file{name: "dir/b.txt", data: b, store: true}), members("stored.zip", FormatZip)},
		{"raw.zip", makeRawZip(t, file{name: "a.txt", data: a, store: true}, file{name: "dir/b.txt", data: b}), members("raw.zip", FormatZip)},
		{"x.tar", tarTwo, members("x.tar", FormatTar)},
		{"x.tgz", gz(t, "", tarTwo), members("x.tgz", FormatTarGzip)},
		{"x.tar.xz", xzData(t, tarTwo), members("x.tar.xz", FormatTarXz)},
		{"x.tar.zst", zstdData(t, tarTwo), members("x.tar.zst", FormatTarZstd)},
		{"x.tar.bz2", fixture(t, "two.tar.bz2"), wantLines("x.tar.bz2 (tar.bz2)", "x.tar.bz2!/a.txt = hello from 7z\n", "x.tar.bz2!/dir/b.txt = second file, in a directory\n")},
		{"a.txt.gz", gz(t, "", a), wantLines("a.txt.gz (gzip)", "a.txt.gz!/a.txt = "+string(a))},
		{"renamed.gz", gz(t, "original.txt", a), wantLines("renamed.gz (gzip)", "renamed.gz!/original.txt = "+string(a))},
		{"a.txt.xz", xzData(t, a), wantLines("a.txt.xz (xz)", "a.txt.xz!/a.txt = "+string(a))},
		{"a.txt.zst", zstdData(t, a), wantLines("a.txt.zst (zstd)", "a.txt.zst!/a.txt = "+string(a))},
		{"a.txt.bz2", fixture(t, "a.txt.bz2"), wantLines("a.txt.bz2 (bzip2)", "a.txt.bz2!/a.txt = hello from 7z\n")},
		{"misnamed.txt", makeZip(t, two...), members("misnamed.txt", FormatZip)},
		{"plain.7z", fixture(t, "plain.7z"), wantLines("plain.7z (7z)", "plain.7z!/a.txt = hello from 7z\n", "plain.7z!/dir/b.txt = second file, in a directory\n")},
		{"empty.zip", makeZip(t), wantLines("empty.zip (zip)")},
		{"empty.tar", makeTar(t), wantLines(got{path: "empty.tar", data: string(makeTar(t))}.String())},
		{"empty.gz", gz(t, "", nil), wantLines("empty.gz (gzip)", "empty.gz!/empty = ")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, _ := collectBytes(t, tt.name, tt.data, Options{})
			if got := lines(gs); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestNested walks a zip in a tar in a zip, as files on disk, and checks
// paths, the container chain and the bytes.
func TestNested(t *testing.T) {
	inner := makeZip(t, file{name: "img001.jpg", data: []byte("landscape")})
	mid := makeTar(t, file{name: "photos/a.zip", data: inner}, file{name: "notes.txt", data: []byte("n")})
	outer := makeZip(t, file{name: "x/mid.tar", data: mid}, file{name: "y.txt", data: []byte("y")})
	dir := t.TempDir()
	write(t, dir, "seizure.zip", outer)
	gs, sum := collect(t, []string{dir}, Options{})
	p := dir + "/seizure.zip"
	want := wantLines(
		p+" (zip)",
		p+"!/x/mid.tar (tar)",
		p+"!/x/mid.tar!/photos/a.zip (zip)",
		p+"!/x/mid.tar!/photos/a.zip!/img001.jpg = landscape",
		p+"!/x/mid.tar!/notes.txt = n",
		p+"!/y.txt = y",
	)
	if got := lines(gs); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	deep := gs[3].item
	if deep.Depth() != 3 || deep.Containers[0].Path != p || deep.Containers[2].Format != FormatZip || deep.Name != "img001.jpg" {
		t.Errorf("deep item: depth %d, containers %+v, name %q", deep.Depth(), deep.Containers, deep.Name)
	}
	if sum.Files != 6 || sum.Archives != 3 || len(sum.Problems) != 0 {
		t.Errorf("summary %+v", sum)
	}
	if gs[0].item.LocalPath() != p || deep.LocalPath() != "" {
		t.Errorf("LocalPath: %q, %q", gs[0].item.LocalPath(), deep.LocalPath())
	}
}

func TestCompressedArchives(t *testing.T) {
	z := makeZip(t, file{name: "a.txt", data: []byte("a")})
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"x.zip.gz", gz(t, "", z), []string{"x.zip.gz (gzip)", "x.zip.gz!/x.zip (zip)", "x.zip.gz!/x.zip!/a.txt = a"}},
		{"x.gz.xz", xzData(t, gz(t, "in.txt", []byte("two layers"))), []string{"x.gz.xz (xz)", "x.gz.xz!/x.gz (gzip)", "x.gz.xz!/x.gz!/in.txt = two layers"}},
		{"t.tgz", gz(t, "", makeTar(t, file{name: "in.tgz", data: gz(t, "", makeTar(t, file{name: "deep", data: []byte("d")}))})),
			[]string{"t.tgz (tar.gz)", "t.tgz!/in.tgz (tar.gz)", "t.tgz!/in.tgz!/deep = d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, _ := collectBytes(t, tt.name, tt.data, Options{})
			checkPaths(t, gs, tt.want)
		})
	}
}

func TestSevenZipTimes(t *testing.T) {
	gs, _ := collectBytes(t, "p.7z", fixture(t, "plain.7z"), Options{})
	want := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	it := gs[1].item
	if !it.ModTime.Equal(want) || it.AccessTime.IsZero() || it.BirthTime.IsZero() {
		t.Errorf("7z times: mod %v, access %v, birth %v", it.ModTime, it.AccessTime, it.BirthTime)
	}
}

// TestSparseTar reads sparse members that GNU tar writes (old GNU and PAX
// formats): their holes are expanded, not read as stored bytes.
func TestSparseTar(t *testing.T) {
	gnuTar, err := exec.LookPath("tar")
	if err != nil {
		t.Skip("no tar command")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "sparse.bin")
	f, err := os.Create(src)
	must(t, err)
	f.WriteAt([]byte("start"), 0)
	f.WriteAt([]byte("middle"), 300*kiB)
	f.WriteAt([]byte("end"), 600*kiB)
	f.Close()
	want, _ := os.ReadFile(src)
	for _, format := range []string{"gnu", "posix"} {
		t.Run(format, func(t *testing.T) {
			out, err := exec.Command(gnuTar, "--sparse", "--format="+format, "-C", dir, "-cf", "-", "sparse.bin").Output()
			if err != nil {
				t.Skipf("tar --sparse: %v", err)
			}
			gs, _ := collectBytes(t, "s.tar", out, Options{})
			if len(gs) != 2 || gs[1].data != string(want) {
				t.Fatalf("got %d items:\n%s", len(gs), lines(gs))
			}
		})
	}
}
