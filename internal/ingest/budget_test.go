package ingest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
)

// walkWorkers walks inputs with n workers that hash and release each item,
// as triage will, and returns the hashes by path.
func walkWorkers(t *testing.T, inputs []string, opt Options, n int, check func(*Item)) (map[string][32]byte, Summary) {
	t.Helper()
	items := make(chan *Item)
	var mu sync.Mutex
	sums := map[string][32]byte{}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				if it.Err == nil {
					rc, err := it.Open()
					if err != nil {
						t.Errorf("%s: %v", it.Path, err)
						it.Release()
						continue
					}
					h := sha256.New()
					if _, err := io.Copy(h, rc); err != nil {
						t.Errorf("%s: %v", it.Path, err)
					}
					rc.Close()
					mu.Lock()
					sums[it.Path] = [32]byte(h.Sum(nil))
					mu.Unlock()
				}
				it.Release()
			}
		}()
	}
	sum, err := Walk(context.Background(), inputs, opt, func(it *Item) error {
		if check != nil {
			check(it)
		}
		items <- it
		return nil
	})
	close(items)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	return sums, sum
}

func TestBudgetWithWorkers(t *testing.T) {
	var files []file
	want := map[string][32]byte{}
	for i := range 20 {
		size := 128 * kiB
		if i%10 == 9 {
			size = 1200 * kiB // spilled to a temporary file
		}
		f := file{name: fmt.Sprintf("m%02d.bin", i), data: noise(size + i)}
		files = append(files, f)
		want[f.name] = sha256.Sum256(f.data)
	}
	dir, tmp := t.TempDir(), t.TempDir()
	tgz := write(t, dir, "big.tar.gz", gz(t, "", makeTar(t, files...)))
	zp := write(t, dir, "big.zip", makeZip(t, files...))
	lim := Limits{MemoryBudget: miB, SpillThreshold: 512 * kiB, DiskBudget: 2 * miB}
	leftovers := func(*Item) {
		if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
			t.Errorf("temporary files visible: %d", len(ents))
		}
	}
	sums, sum := walkWorkers(t, []string{tgz, zp}, Options{Limits: lim, TempDir: tmp}, 4, leftovers)
	for _, in := range []string{tgz, zp} {
		for name, h := range want {
			if sums[in+"!/"+name] != h {
				t.Errorf("%s!/%s: wrong bytes", in, name)
			}
		}
	}
	// The walk holds at most the entry it reads beyond the budget.
	if sum.PeakMemory > lim.MemoryBudget+lim.SpillThreshold || sum.PeakDisk > lim.DiskBudget+2*miB {
		t.Errorf("peak memory %d, disk %d", sum.PeakMemory, sum.PeakDisk)
	}
	if sum.PeakDisk == 0 {
		t.Error("nothing spilled")
	}
	t.Logf("peak memory %d KiB, disk %d KiB", sum.PeakMemory/kiB, sum.PeakDisk/kiB)
}

func TestItemContract(t *testing.T) {
	data := makeTar(t, file{name: "a", data: []byte("abc")})
	var items []*Item
	_, err := WalkReaderAt(context.Background(), "t.tar.gz", bytesReader(gz(t, "", data)), int64(len(gz(t, "", data))), Options{}, func(it *Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil || len(items) != 2 {
		t.Fatalf("%v, %d items", err, len(items))
	}
	it := items[1]
	b1, _ := it.ReadAll()
	b2, _ := it.ReadAll()
	if string(b1) != "abc" || &b1[0] != &b2[0] {
		t.Error("ReadAll of a buffered entry copies")
	}
	it.Release()
	it.Release()
	if _, err := it.Open(); !errors.Is(err, ErrReleased) {
		t.Errorf("Open after Release: %v", err)
	}
	items[0].Release()
}
