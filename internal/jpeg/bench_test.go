package jpeg_test

import (
	"bytes"
	"image"
	stdjpeg "image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/havenproject/haven/internal/jpeg"
	"github.com/havenproject/haven/pdq"
)

const benchImages = "../../../shared/testdata/pdq/images"

var (
	setsOnce     sync.Once
	small, large [][]byte
)

// benchSets loads the shared corpus JPEGs that decode, split into images no
// larger than 512 pixels in both dimensions and larger ones (once per run).
func benchSets(b *testing.B) ([][]byte, [][]byte) {
	b.Helper()
	if _, err := os.Stat(benchImages); err != nil {
		b.Skipf("shared test images not found at %s", benchImages)
	}
	setsOnce.Do(func() { small, large = loadSets(b) })
	return small, large
}

func loadSets(b *testing.B) (small, large [][]byte) {
	var paths []string
	filepath.WalkDir(benchImages, func(p string, e fs.DirEntry, err error) error {
		ext := strings.ToLower(filepath.Ext(p))
		if err == nil && !e.IsDir() && (ext == ".jpg" || ext == ".jpeg") {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Strings(paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			continue
		}
		if _, err := jpeg.DecodeBytes(data, jpeg.Options{}); err != nil {
			continue
		}
		if cfg.Width > 512 || cfg.Height > 512 {
			large = append(large, data)
		} else {
			small = append(small, data)
		}
	}
	return small, large
}

// runSets runs f over every image of each set per iteration and reports
// images per second.
func runSets(b *testing.B, f func(b *testing.B, data []byte)) {
	small, large := benchSets(b)
	for _, set := range []struct {
		name  string
		files [][]byte
	}{{"le512", small}, {"gt512", large}} {
		b.Run(set.name, func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				for _, data := range set.files {
					f(b, data)
				}
			}
			reportRates(b, len(set.files), cpuTime()-cpu0)
		})
	}
}

func BenchmarkStdlibDecode(b *testing.B) {
	runSets(b, func(b *testing.B, data []byte) {
		if _, err := stdjpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	runSets(b, func(b *testing.B, data []byte) {
		if _, err := jpeg.DecodeBytes(data, jpeg.Options{}); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkDecodeNearest512(b *testing.B) {
	runSets(b, func(b *testing.B, data []byte) {
		if _, _, _, err := jpeg.DecodeNearest(data, 512, 512, jpeg.Options{}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPDQ is the whole PDQ path: sampled decode and hash.
func BenchmarkPDQ(b *testing.B) {
	h := pdq.NewHasher()
	runSets(b, func(b *testing.B, data []byte) {
		img, _, _, err := jpeg.DecodeNearest(data, 512, 512, jpeg.Options{})
		if err != nil {
			b.Fatal(err)
		}
		h.Hash(img)
	})
}

// BenchmarkPDQStdlib is the same path with image/jpeg and a full decode.
func BenchmarkPDQStdlib(b *testing.B) {
	h := pdq.NewHasher()
	runSets(b, func(b *testing.B, data []byte) {
		img, err := stdjpeg.Decode(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		h.Hash(img)
	})
}

// BenchmarkPDQHashOnly hashes images decoded beforehand, to separate the
// hash's cost from the decoder's.
func BenchmarkPDQHashOnly(b *testing.B) {
	small, large := benchSets(b)
	h := pdq.NewHasher()
	for _, set := range []struct {
		name  string
		files [][]byte
	}{{"le512", small}, {"gt512", large}} {
		var imgs []image.Image
		for _, data := range set.files {
			img, _, _, err := jpeg.DecodeNearest(data, 512, 512, jpeg.Options{})
			if err != nil {
				b.Fatal(err)
			}
			imgs = append(imgs, img)
		}
		b.Run(set.name, func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				for _, img := range imgs {
					h.Hash(img)
				}
			}
			reportRates(b, len(imgs), cpuTime()-cpu0)
		})
	}
}

// cpuTime returns the process's user+system CPU time in seconds. On a
// shared machine it measures one core's throughput better than wall time.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// reportRates reports images per wall-clock second and per CPU second.
func reportRates(b *testing.B, perIter int, cpu float64) {
	n := float64(b.N * perIter)
	b.ReportMetric(n/b.Elapsed().Seconds(), "images/s")
	if cpu > 0 {
		b.ReportMetric(n/cpu, "images/cpu-s")
	}
}
