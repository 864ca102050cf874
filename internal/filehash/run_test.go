package filehash

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// folder writes n small files (not images) named so that lexical order is
// numeric order, plus one image.
func folder(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("sub%d", i%3), fmt.Sprintf("f%04d.txt", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(fmt.Sprint(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img, err := os.ReadFile("../../testdata/samples/bridge.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.jpg"), img, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRunOrderAndCounts(t *testing.T) {
	dir := folder(t, 200)
	for _, workers := range []int{1, 2, 7} {
		var got []string
		c := new(Counters)
		r := &Runner{Workers: workers, Counters: c}
		err := r.Run(context.Background(), []string{dir}, func(res Result) error {
			got = append(got, res.Path)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 201 {
			t.Fatalf("workers=%d: %d results", workers, len(got))
		}
		for i := 1; i < len(got); i++ {
			if got[i-1] >= got[i] {
				t.Fatalf("workers=%d: out of order: %s before %s", workers, got[i-1], got[i])
			}
		}
		if c.Found.Load() != 201 || c.Done.Load() != 201 || c.Skipped.Load() != 200 || c.Failed.Load() != 0 {
			t.Errorf("workers=%d: counters found=%d done=%d skipped=%d failed=%d", workers,
				c.Found.Load(), c.Done.Load(), c.Skipped.Load(), c.Failed.Load())
		}
	}
}

func TestRunStopsOnEmitError(t *testing.T) {
	dir := folder(t, 100)
	stop := errors.New("disk full")
	n := 0
	r := &Runner{Workers: 3}
	err := r.Run(context.Background(), []string{dir}, func(Result) error {
		n++
		if n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Fatalf("err %v after %d results", err, n)
	}
}

func TestRunCancel(t *testing.T) {
	dir := folder(t, 100)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	r := &Runner{Workers: 2}
	err := r.Run(ctx, []string{dir}, func(Result) error {
		n++
		if n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if n >= 101 {
		t.Errorf("run went on after cancel: %d results", n)
	}
}

func TestInputErrors(t *testing.T) {
	var res []Result
	r := &Runner{Stdin: strings.NewReader("not an image")}
	err := r.Run(context.Background(), []string{"does/not/exist", "-"}, func(x Result) error {
		res = append(res, x)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || !errors.Is(res[0].Err, os.ErrNotExist) || res[1].Err == nil || res[1].Skipped {
		t.Fatalf("%+v", res)
	}
	if res[1].SHA256 == "" {
		t.Error("digests of a non-image are still computed")
	}
}
