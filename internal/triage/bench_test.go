package triage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkTriage triages 200 small JPEGs with no store; files/s is
// reported. A stub for the measurements still to make (20k and 200k files,
// memory, reviewer position): go test -run '^$' -bench Triage ./internal/triage
func BenchmarkTriage(b *testing.B) {
	dir := b.TempDir()
	t := &testing.T{}
	for i := range 200 {
		writeFile(t, filepath.Join(dir, "in", fmt.Sprintf("%03d.jpg", i)), encodeJPEG(t, testImage(uint64(i), 320, 240), 85))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(dir, fmt.Sprintf("out%d", i))
		res, err := Run(context.Background(), Options{Inputs: []string{filepath.Join(dir, "in")}, OutDir: out})
		if err != nil {
			b.Fatal(err)
		}
		res.Close()
	}
	b.ReportMetric(float64(200*b.N)/b.Elapsed().Seconds(), "files/s")
}
