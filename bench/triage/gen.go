package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
)

// mix is the make-up of a generated collection, in shares of its files.
type mix struct {
	web, png, photo, big, dup, near, archived float64
	// small draws web images of 64-256 px (the 200k run), not 120-800.
	small bool
	// hardlinkDups makes duplicates hard links (no disk, same bytes).
	hardlinkDups bool
}

// realistic: mostly small web images and 1-3 MP photos, some 8-12 MP
// JPEGs, PNGs, exact duplicates, near-duplicates, nested archives.
var realistic = mix{web: 0.65, png: 0.10, photo: 0.05, big: 0.003, dup: 0.12, near: 0.07, archived: 0.05}

// smallMix is for the 200k run: small images, most files duplicates.
var smallMix = mix{web: 0.13, png: 0.02, dup: 0.80, near: 0.05, small: true, hardlinkDups: true}

// genJob is one distinct image to draw.
type genJob struct {
	path string
	kind string // web, png, photo, big
	seed uint64
}

// genStats says what a generator wrote.
type genStats struct {
	Files, Distinct, Dups, Near, Archives, Archived int
	Bytes                                           int64
	Big, Photos, PNGs, Web                          int
}

// generate writes about n files into dir by m, deterministic from seed.
// Content is benign: gradients, noise and rectangles.
func generate(dir string, n int, m mix, seed uint64) (genStats, error) {
	var st genStats
	r := rand.New(rand.NewPCG(seed, 7))
	total := m.web + m.png + m.photo + m.big
	distinct := int(float64(n) * total / (total + m.dup + m.near))
	var jobs []genJob
	for i := range distinct {
		x := r.Float64() * total
		kind := "web"
		switch {
		case x < m.png:
			kind = "png"
		case x < m.png+m.photo:
			kind = "photo"
		case x < m.png+m.photo+m.big:
			kind = "big"
		}
		ext := ".jpg"
		if kind == "png" {
			ext = ".png"
		}
		// Names carry no hint of kind: content decides.
		jobs = append(jobs, genJob{filepath.Join(dir, fmt.Sprintf("d%03d", r.IntN(200)), fmt.Sprintf("img%07d%s", i, ext)), kind, r.Uint64()})
	}
	var mu sync.Mutex
	var firstErr error
	work := make(chan genJob)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				b, err := render(j.kind, j.seed, m.small)
				if err == nil {
					err = writeFile(j.path, b)
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				st.Bytes += int64(len(b))
				switch j.kind {
				case "big":
					st.Big++
				case "photo":
					st.Photos++
				case "png":
					st.PNGs++
				default:
					st.Web++
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return st, firstErr
	}
	st.Distinct = distinct
	st.Files = distinct
	// Near-duplicates: a smaller, recompressed copy of a distinct image.
	nNear := int(float64(n) * m.near / (total + m.dup + m.near))
	for i := range nNear {
		src := jobs[r.IntN(len(jobs))]
		b, err := os.ReadFile(src.path)
		if err != nil {
			return st, err
		}
		img, _, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			return st, fmt.Errorf("%s: %w", src.path, err)
		}
		out, err := encodeJPEG(half(img), 55+r.IntN(20))
		if err != nil {
			return st, err
		}
		if err := writeFile(filepath.Join(dir, "near", fmt.Sprintf("n%03d", i%100), fmt.Sprintf("copy%07d.jpg", i)), out); err != nil {
			return st, err
		}
		st.Near++
		st.Files++
		st.Bytes += int64(len(out))
	}
	// Exact duplicates: copies (or hard links) under other folders.
	nDup := n - st.Files
	for i := range nDup {
		src := jobs[r.IntN(len(jobs))]
		dst := filepath.Join(dir, "copies", fmt.Sprintf("c%03d", i%300), fmt.Sprintf("dup%07d%s", i, filepath.Ext(src.path)))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return st, err
		}
		if m.hardlinkDups {
			if err := os.Link(src.path, dst); err != nil {
				return st, err
			}
		} else {
			b, err := os.ReadFile(src.path)
			if err != nil {
				return st, err
			}
			if err := os.WriteFile(dst, b, 0o644); err != nil {
				return st, err
			}
			st.Bytes += int64(len(b))
		}
		st.Dups++
		st.Files++
	}
	if m.archived > 0 {
		if err := archive(dir, jobs, int(float64(n)*m.archived), r, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// archive moves k distinct web images into zips of 100 members; every
// fourth zip goes, with the next, into a tar.gz (nested archives).
func archive(dir string, jobs []genJob, k int, r *rand.Rand, st *genStats) error {
	var picks []string
	for _, j := range jobs {
		if j.kind == "web" && len(picks) < k {
			picks = append(picks, j.path)
		}
	}
	var zips [][]byte
	for z := 0; len(picks) > 0; z++ {
		n := min(100, len(picks))
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, p := range picks[:n] {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			w, err := zw.CreateHeader(&zip.FileHeader{Name: "album/" + filepath.Base(p), Method: zip.Store})
			if err != nil {
				return err
			}
			w.Write(b)
			if err := os.Remove(p); err != nil {
				return err
			}
		}
		if err := zw.Close(); err != nil {
			return err
		}
		st.Archived += n
		picks = picks[n:]
		zips = append(zips, buf.Bytes())
	}
	for i := 0; i < len(zips); i++ {
		if i%4 == 0 && i+1 < len(zips) {
			var buf bytes.Buffer
			gz := gzip.NewWriter(&buf)
			tw := tar.NewWriter(gz)
			for k, z := range zips[i : i+2] {
				tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("backup/part%d.zip", k), Mode: 0o644, Size: int64(len(z))})
				tw.Write(z)
			}
			tw.Close()
			gz.Close()
			if err := writeFile(filepath.Join(dir, "archives", fmt.Sprintf("backup%03d.tar.gz", i)), buf.Bytes()); err != nil {
				return err
			}
			st.Archives += 3
			i++
			continue
		}
		if err := writeFile(filepath.Join(dir, "archives", fmt.Sprintf("album%03d.zip", i)), zips[i]); err != nil {
			return err
		}
		st.Archives++
	}
	_ = r
	return nil
}

// render draws one image of the kind and encodes it.
func render(kind string, seed uint64, small bool) ([]byte, error) {
	r := rand.New(rand.NewPCG(seed, 11))
	var w, h int
	switch kind {
	case "big": // 8-12 MP
		w = 3500 + r.IntN(500)
		h = w * 3 / 4
	case "photo": // 1-3 MP
		w = 1200 + r.IntN(800)
		h = w * 3 / 4
	case "png": // graphics and screenshots of web size
		w, h = 120+r.IntN(400), 120+r.IntN(300)
	default:
		if small {
			w, h = 64+r.IntN(192), 64+r.IntN(192)
		} else {
			w, h = 120+r.IntN(680), 120+r.IntN(520)
		}
	}
	if r.IntN(3) == 0 {
		w, h = h, w // portrait
	}
	img := draw(r, w, h)
	if kind == "png" {
		var b bytes.Buffer
		err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img)
		return b.Bytes(), err
	}
	return encodeJPEG(img, 70+r.IntN(25))
}

// draw paints a gradient, rectangles and a little noise: broadband content
// with distinct PDQ hashes.
func draw(r *rand.Rand, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c0 := [3]int{r.IntN(256), r.IntN(256), r.IntN(256)}
	c1 := [3]int{r.IntN(256), r.IntN(256), r.IntN(256)}
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			t := (x + y) * 256 / (w + h)
			n := (x*7919 ^ y*104729) % 9
			for c := range 3 {
				row[4*x+c] = uint8(min(255, (c0[c]*(256-t)+c1[c]*t)/256+n))
			}
			row[4*x+3] = 255
		}
	}
	for range 12 + r.IntN(20) {
		x0, y0 := r.IntN(w), r.IntN(h)
		x1, y1 := min(w, x0+w/12+r.IntN(w/3+1)), min(h, y0+h/12+r.IntN(h/3+1))
		c := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				i := img.PixOffset(x, y)
				img.Pix[i], img.Pix[i+1], img.Pix[i+2] = c.R, c.G, c.B
			}
		}
	}
	return img
}

func encodeJPEG(img image.Image, q int) ([]byte, error) {
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q})
	return b.Bytes(), err
}

// half box-filters an image to half its size.
func half(src image.Image) *image.RGBA {
	b := src.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, max(1, b.Dx()/2), max(1, b.Dy()/2)))
	for y := 0; y < out.Bounds().Dy(); y++ {
		for x := 0; x < out.Bounds().Dx(); x++ {
			var s [3]uint32
			for _, p := range [4][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				r, g, bl, _ := src.At(b.Min.X+2*x+p[0], b.Min.Y+2*y+p[1]).RGBA()
				s[0], s[1], s[2] = s[0]+r>>8, s[1]+g>>8, s[2]+bl>>8
			}
			out.SetRGBA(x, y, color.RGBA{uint8(s[0] / 4), uint8(s[1] / 4), uint8(s[2] / 4), 255})
		}
	}
	return out
}

func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
