package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestSymlinks(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "d/a.txt", []byte("a"))
	write(t, dir, "target.txt", []byte("t"))
	must(t, os.Symlink("..", filepath.Join(dir, "d", "loop")))
	must(t, os.Symlink("../target.txt", filepath.Join(dir, "d", "link.txt")))
	must(t, os.Symlink("nowhere", filepath.Join(dir, "d", "dangling")))
	t.Run("not followed", func(t *testing.T) {
		gs, sum := collect(t, []string{dir}, Options{})
		checkPaths(t, gs, []string{dir + "/d/a.txt = a", dir + "/target.txt = t"})
		if sum.Ignored != 3 {
			t.Errorf("ignored %d, want the 3 links", sum.Ignored)
		}
	})
	t.Run("followed", func(t *testing.T) {
		gs, _ := collect(t, []string{dir}, Options{FollowSymlinks: true})
		checkPaths(t, gs, []string{
			dir + "/d/a.txt = a", dir + "/d/dangling [unreadable ]", dir + "/d/link.txt = t",
			dir + "/d/loop [unreadable ]", dir + "/target.txt = t"})
		if !errors.Is(gs[3].err, errLoop) {
			t.Errorf("loop: %v", gs[3].err)
		}
	})
	t.Run("named input", func(t *testing.T) {
		gs, _ := collect(t, []string{filepath.Join(dir, "d", "link.txt")}, Options{})
		checkPaths(t, gs, []string{dir + "/d/link.txt = t"})
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestUnreadable(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "ok.txt", []byte("ok"))
	inputs := []string{filepath.Join(dir, "missing"), filepath.Join(dir, "ok.txt")}
	want := []string{dir + "/missing [unreadable ]", dir + "/ok.txt = ok"}
	if runtime.GOOS == "linux" {
		// Reading /proc/self/mem at offset 0 fails with EIO: a real read
		// error, which chmod cannot give us as root.
		inputs = append(inputs, "/proc/self/mem")
		want = append(want, "/proc/self/mem [unreadable ]")
	}
	if os.Geteuid() != 0 {
		p := write(t, dir, "locked.txt", []byte("x"))
		must(t, os.Chmod(p, 0))
		inputs = append(inputs, p)
		want = append(want, p+" [unreadable ]")
	}
	gs, _ := collect(t, inputs, Options{})
	// /proc/self/mem is yielded (its size, 0, reads as nothing to sniff) and
	// fails when read: the reader's error is the Problem.
	checkPaths(t, gs, want)
}

// tree writes a directory of files and archives for order and skip tests.
func tree(t *testing.T) string {
	dir := t.TempDir()
	write(t, dir, "b/2.txt", []byte("2"))
	write(t, dir, "b/10.txt", []byte("10"))
	write(t, dir, "a.zip", makeZip(t, file{name: "z/1", data: []byte("z1")}, file{name: "in.tar.gz", data: gz(t, "", makeTar(t, file{name: "t", data: []byte("t")}))}))
	write(t, dir, "C.txt", []byte("C"))
	return dir
}

func TestOrder(t *testing.T) {
	dir := tree(t)
	want := []string{
		dir + "/C.txt = C",
		dir + "/a.zip (zip)", dir + "/a.zip!/z/1 = z1", dir + "/a.zip!/in.tar.gz (tar.gz)", dir + "/a.zip!/in.tar.gz!/t = t",
		dir + "/b/10.txt = 10", dir + "/b/2.txt = 2",
	}
	for range 3 {
		gs, _ := collect(t, []string{dir}, Options{})
		checkPaths(t, gs, want)
	}
	gs, _ := collect(t, []string{dir + "/b", dir + "/C.txt"}, Options{})
	checkPaths(t, gs, []string{dir + "/b/10.txt = 10", dir + "/b/2.txt = 2", dir + "/C.txt = C"})
}

func TestSkip(t *testing.T) {
	dir := tree(t)
	var asked []string
	opt := Options{
		Skip: func(p string) bool {
			asked = append(asked, p)
			return p == dir+"/a.zip" || p == dir+"/b/2.txt" || p == dir+"/a.zip!/in.tar.gz"
		},
		SkipTree: func(p string) bool { return p == dir+"/C.txt" },
	}
	gs, sum := collect(t, []string{dir}, opt)
	checkPaths(t, gs, []string{dir + "/a.zip!/z/1 = z1", dir + "/a.zip!/in.tar.gz!/t = t", dir + "/b/10.txt = 10"})
	if sum.Skipped != 4 {
		t.Errorf("skipped %d", sum.Skipped)
	}
	opt.SkipTree = func(p string) bool { return p == dir+"/a.zip" || p == dir+"/b" }
	gs, _ = collect(t, []string{dir}, opt)
	checkPaths(t, gs, []string{dir + "/C.txt = C"})
}

func TestTimes(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "f.txt", []byte("f"))
	mod := time.Date(2019, 1, 2, 3, 4, 5, 0, time.UTC)
	must(t, os.Chtimes(p, mod, mod))
	gs, _ := collect(t, []string{p}, Options{})
	if !gs[0].item.ModTime.Equal(mod) {
		t.Errorf("file mtime %v", gs[0].item.ModTime)
	}
	if runtime.GOOS == "linux" && (gs[0].item.ChangeTime.IsZero() || !gs[0].item.AccessTime.Equal(mod)) {
		t.Errorf("file ctime %v atime %v", gs[0].item.ChangeTime, gs[0].item.AccessTime)
	}
	// A zip entry with an NTFS extra field: modification, access, creation.
	ntfs := []byte{0x0a, 0, 32, 0, 0, 0, 0, 0, 1, 0, 24, 0}
	ft := func(t time.Time) []byte {
		v := uint64(t.UnixNano()/100 + 116444736000000000)
		return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24), byte(v >> 32), byte(v >> 40), byte(v >> 48), byte(v >> 56)}
	}
	acc, birth := mod.Add(time.Hour), mod.Add(-time.Hour)
	ntfs = append(append(append(ntfs, ft(mod)...), ft(acc)...), ft(birth)...)
	gs, _ = collectBytes(t, "t.zip", makeZip(t, file{data: []byte("n"), header: zipHeader("ntfs", mod, ntfs)}), Options{})
	it := gs[1].item
	if !it.ModTime.Equal(mod) || !it.AccessTime.Equal(acc) || !it.BirthTime.Equal(birth) {
		t.Errorf("zip times: mod %v access %v birth %v", it.ModTime, it.AccessTime, it.BirthTime)
	}
	gs, _ = collectBytes(t, "t.tar", makeTar(t, file{name: "x", data: []byte("x"), mod: mod}), Options{})
	if !gs[1].item.ModTime.Equal(mod) {
		t.Errorf("tar mtime %v", gs[1].item.ModTime)
	}
}

func TestCancelAndYieldError(t *testing.T) {
	dir := tree(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := Walk(ctx, []string{dir}, Options{}, func(it *Item) error {
		defer it.Release()
		n++
		if n == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 2 {
		t.Errorf("cancel: err %v after %d items", err, n)
	}
	stop := errors.New("enough")
	n = 0
	_, err = Walk(context.Background(), []string{dir}, Options{}, func(it *Item) error {
		it.Release()
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Errorf("yield error: %v after %d items", err, n)
	}
	if _, err := Walk(context.Background(), nil, Options{Limits: Limits{MemoryBudget: 10, SpillThreshold: 20}}, func(*Item) error { return nil }); err == nil {
		t.Error("bad limits accepted")
	}
}
