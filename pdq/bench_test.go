package pdq

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/havenproject/haven/internal/media"
	"github.com/havenproject/haven/internal/sharedtest"
)

// The benchmarks run on the shared corpus's JPEG and PNG images, the set the
// C++ reference's published speed was measured on, decoded as Haven's
// hashing path decodes them (media.DecodeForHash: JPEGs come back already
// resampled to 512×512, so "luma+downscale" on large JPEGs starts from
// 512×512). One op is one image;
// run with -cpu 1,2 to see one core and all cores (RunParallel spreads the
// images over GOMAXPROCS goroutines). bench/pdq.sh records the figures in
// docs/benchmarks.md.

type corpusImage struct {
	name  string
	data  []byte
	img   image.Image
	large bool // over 512 px on a side: goes through the pre-resize
}

func loadCorpus(b *testing.B) []corpusImage {
	b.Helper()
	dir := sharedtest.Dir(b, "testdata", "pdq", "images")
	var out []corpusImage
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, "/variants/") {
			return err
		}
		ext := strings.ToLower(filepath.Ext(path))
		if ext != ".jpg" && ext != ".png" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec, err := decodeForHash(data)
		if err != nil {
			return nil // the corpus's deliberately broken files
		}
		out = append(out, corpusImage{name: path, data: data, img: dec.Image, large: dec.Width > resizeDim || dec.Height > resizeDim})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// decodeForHash is Haven's hashing path: media's decoders, with PDQ's
// pre-resize folded into JPEG decoding.
func decodeForHash(data []byte) (*media.Decoded, error) {
	return media.DecodeForHash(context.Background(), data, media.Limits{}, resizeDim)
}

func subset(all []corpusImage, keep func(corpusImage) bool) []corpusImage {
	var out []corpusImage
	for _, c := range all {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// perImage runs fn over the images round-robin, in parallel over
// GOMAXPROCS, and reports throughput per image.
func perImage(b *testing.B, imgs []corpusImage, fn func(h *Hasher, c *corpusImage)) {
	if len(imgs) == 0 {
		b.Skip("no images")
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		h := NewHasher()
		for pb.Next() {
			fn(h, &imgs[int(next.Add(1))%len(imgs)])
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/image")
}

func BenchmarkStages(b *testing.B) {
	all := loadCorpus(b)
	sets := []struct {
		name string
		imgs []corpusImage
	}{
		{"all", all},
		{"small", subset(all, func(c corpusImage) bool { return !c.large })},
		{"large", subset(all, func(c corpusImage) bool { return c.large })},
	}
	for _, set := range sets {
		b.Run("decode/"+set.name, func(b *testing.B) {
			perImage(b, set.imgs, func(_ *Hasher, c *corpusImage) {
				if _, err := decodeForHash(c.data); err != nil {
					b.Error(err)
				}
			})
		})
		b.Run("luma+downscale/"+set.name, func(b *testing.B) {
			perImage(b, set.imgs, func(h *Hasher, c *corpusImage) {
				w, ht := h.luma(c.img)
				h.downscale(h.buf1[:w*ht], w, ht)
			})
		})
		b.Run("dct+threshold/"+set.name, func(b *testing.B) {
			perImage(b, set.imgs, func(h *Hasher, c *corpusImage) {
				quality(&h.b64)
				dct64To16(&h.b64, &h.b16x64, &h.b16)
				h.bits(&h.b16)
			})
		})
		b.Run("hash/"+set.name, func(b *testing.B) {
			perImage(b, set.imgs, func(h *Hasher, c *corpusImage) { h.Hash(c.img) })
		})
		b.Run("decode+hash/"+set.name, func(b *testing.B) {
			perImage(b, set.imgs, func(h *Hasher, c *corpusImage) {
				d, err := decodeForHash(c.data)
				if err != nil {
					b.Error(err)
					return
				}
				h.Hash(d.Image)
			})
		})
	}
}
