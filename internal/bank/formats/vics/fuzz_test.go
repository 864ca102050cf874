package vics_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/vics"
)

func FuzzVICS(f *testing.F) {
	files, _ := filepath.Glob("../testdata/shared/vics/*-art.json")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	var syn bytes.Buffer
	vics.WriteSynthetic(&syn, 3, 1)
	f.Add(syn.Bytes())
	f.Add([]byte(`{` + ctxUK + `,"value":[{"CaseID":"{0}","Media":[{"md5":"` + md5a + `","Category":"2","Tags":["a"],"VictimIdentified":"True"}],"x":1}]}`))
	f.Add([]byte("\xff\xfe{\x00}\x00"))
	f.Add([]byte(`{` + ctxUK + `,"value":[{"MD5":"` + md5a + `","AlternativeHashes":[{"HashName":"VPDQ","HashValue":"[\"` + md5a + md5a + `,100,0.0\"]"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return vics.NewReader(r, codec.Options{MaxRecordBytes: 1 << 16})
		})
	})
}

// BenchmarkRead100k reads a 100k-Media VICS 2.0 file (300k entries: MD5,
// SHA1 and PDQ of each) from disk.
func BenchmarkRead100k(b *testing.B) {
	const media = 100_000
	path := filepath.Join(b.TempDir(), "synthetic.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := vics.WriteSynthetic(f, media, 1); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	entries := 0
	for range b.N {
		f, _ := os.Open(path)
		r, err := vics.NewReader(f, codec.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			entries++
		}
		f.Close()
	}
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(entries)/cpu.Seconds(), "entries/cpu-s")
	}
}

// BenchmarkWriteSynthetic measures the generator (and so the writer).
func BenchmarkWriteSynthetic(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		if err := vics.WriteSynthetic(io.Discard, 10_000, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "media/s")
}
