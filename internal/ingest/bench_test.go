package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const benchFiles = 20_000

// benchContent is the bytes of the i-th benchmark file: 1–4 KiB, half
// text-like (compressible), half noise.
func benchContent(i int) []byte {
	n := 1024 + (i*7919)%3072
	if i%2 == 0 {
		return bytes.Repeat([]byte(fmt.Sprintf("line %d of a benign file\n", i)), n/24+1)[:n]
	}
	return noise(n + i%13)
}

// benchWalk walks inputs once per iteration, reading every item whole on
// the walking goroutine, and reports files and MB per second.
func benchWalk(b *testing.B, inputs []string, opt Options) {
	var files, size int64
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		files, size = 0, 0
		_, err := Walk(context.Background(), inputs, opt, func(it *Item) error {
			defer it.Release()
			if it.Err != nil || it.Format != "" {
				return it.Err
			}
			rc, err := it.Open()
			if err != nil {
				return err
			}
			n, err := io.Copy(io.Discard, rc)
			rc.Close()
			files++
			size += n
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if files != benchFiles {
		b.Fatalf("walked %d files", files)
	}
	sec := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(float64(files)/sec, "files/s")
	b.ReportMetric(float64(size)/sec/1e6, "MB/s")
	if cpu := (cpuTime() - cpu0).Seconds() / float64(b.N); cpu > 0 {
		b.ReportMetric(float64(files)/cpu, "files/cpu-s")
	}
}

func BenchmarkWalkDir(b *testing.B) {
	dir := b.TempDir()
	for i := range benchFiles {
		p := filepath.Join(dir, fmt.Sprintf("d%02d", i%100), fmt.Sprintf("f%05d.txt", i))
		if i < 100 {
			os.MkdirAll(filepath.Dir(p), 0o755)
		}
		if err := os.WriteFile(p, benchContent(i), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	benchWalk(b, []string{dir}, Options{})
}

func BenchmarkWalkZip(b *testing.B) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range benchFiles {
		w, err := zw.Create(fmt.Sprintf("d%02d/f%05d.txt", i%100, i))
		if err != nil {
			b.Fatal(err)
		}
		w.Write(benchContent(i))
	}
	zw.Close()
	p := filepath.Join(b.TempDir(), "bench.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	benchWalk(b, []string{p}, Options{})
}

func BenchmarkWalkTarGz(b *testing.B) {
	var files []file
	for i := range benchFiles {
		files = append(files, file{name: fmt.Sprintf("d%02d/f%05d.txt", i%100, i), data: benchContent(i)})
	}
	p := filepath.Join(b.TempDir(), "bench.tar.gz")
	if err := os.WriteFile(p, gz(b, "", makeTar(b, files...)), 0o644); err != nil {
		b.Fatal(err)
	}
	benchWalk(b, []string{p}, Options{})
}
