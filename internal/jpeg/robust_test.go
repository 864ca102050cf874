package jpeg

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func readGen(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/gen/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// markerAt returns the offset of the first marker segment with code m.
func markerAt(t *testing.T, b []byte, m byte) int {
	t.Helper()
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		if b[i+1] == m {
			return i
		}
		i += 2 + (int(b[i+2])<<8 | int(b[i+3]))
	}
	t.Fatalf("marker %#x not found", m)
	return 0
}

func patched(b []byte, off int, vals ...byte) []byte {
	c := bytes.Clone(b)
	copy(c[off:], vals)
	return c
}

func TestHostileHeaders(t *testing.T) {
	base := readGen(t, "s2x2-61x45.jpg")
	sof := markerAt(t, base, mSOF0)
	dht := markerAt(t, base, mDHT)
	sos := markerAt(t, base, mSOS)
	// SOF layout: FF C0 len(2) P Y(2) X(2) Nf, then Ci HV Tq per component.
	comps := sof + 10
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrFormat},
		{"not jpeg", []byte("GIF89a"), ErrFormat},
		{"soi only", []byte{0xFF, 0xD8}, ErrTruncated},
		{"zero width", patched(base, sof+7, 0, 0), ErrFormat},
		{"zero height", patched(base, sof+5, 0, 0), ErrFormat},
		{"huge", patched(base, sof+5, 0xFF, 0xDC, 0xFF, 0xDC), ErrTooLarge},
		{"over libjpeg limit", patched(base, sof+5, 0xFF, 0xFF, 0xFF, 0xFF), ErrTooLarge},
		{"12-bit", patched(base, sof+4, 12), ErrUnsupported},
		{"zero sampling", patched(base, comps+1, 0x00), ErrFormat},
		{"sampling 5", patched(base, comps+1, 0x51), ErrFormat},
		{"fractional sampling", patched(patched(base, comps+1, 0x31), comps+4, 0x21), ErrUnsupported},
		{"undefined quant table", patched(base, comps+2, 3), ErrFormat},
		{"quant table 9", patched(base, comps+2, 9), ErrFormat},
		{"duplicate component ids", patched(base, comps+3, base[comps]), nil},
		{"bad DHT counts", patched(base, dht+5, 0xFF, 0xFF), ErrFormat},
		{"DHT code overflow", patched(base, dht+5, 3), ErrFormat},
		{"DHT index", patched(base, dht+4, 0x25), ErrFormat},
		{"SOS unknown component", patched(base, sos+5, 99), ErrFormat},
		{"SOS table 3", patched(base, sos+6, 0x33), ErrFormat},
		{"arithmetic SOF", patched(base, sof+1, 0xC9), ErrUnsupported},
		{"lossless SOF", patched(base, sof+1, 0xC3), ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeBytes(tt.data, Options{})
			if tt.want == nil {
				return // only must not panic
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestComponentCounts(t *testing.T) {
	// Frames with 2 or 5 components: djpeg cannot write them either.
	for _, n := range []byte{2, 5, 11} {
		seg := []byte{0xFF, 0xD8, 0xFF, 0xC0, 0, byte(8 + 3*int(n)), 8, 0, 8, 0, 8, n}
		for i := byte(0); i < n; i++ {
			seg = append(seg, i+1, 0x11, 0)
		}
		_, err := DecodeBytes(seg, Options{})
		if err == nil {
			t.Errorf("%d components: no error", n)
		}
	}
}

func TestHugeHeaderAllocatesLittle(t *testing.T) {
	base := readGen(t, "prog-2x2.jpg")
	sof := markerAt(t, base, mSOF2)
	data := patched(base, sof+5, 0x7F, 0xFF, 0x7F, 0xFF) // 32767×32767, within libjpeg's limit
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := DecodeBytes(data, Options{MaxPixels: 1 << 32})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTruncated) {
		t.Errorf("got %v, want ErrTruncated (data far too short for the size)", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("allocated %d bytes for a %d-byte file", n, len(data))
	}
	if _, err := DecodeBytes(data, Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("default budget: got %v, want ErrTooLarge", err)
	}
}

func TestTooManyScans(t *testing.T) {
	base := readGen(t, "prog-approx.jpg")
	if _, err := DecodeBytes(base, Options{MaxScans: 5}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
	if _, err := DecodeBytes(base, Options{}); err != nil {
		t.Errorf("default scan limit: %v", err)
	}
}

// TestTruncatedAndCorrupt cuts and damages files; decoding must return an
// error or an image of the stated size, never panic.
func TestTruncatedAndCorrupt(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, name := range []string{"s2x2-61x45.jpg", "prog-approx.jpg", "rst-1b-prog.jpg", "ycck.jpg", "gray-61x45.jpg", "rst-1b-420.jpg"} {
		base := readGen(t, name)
		for n := 0; n < len(base); n += 1 + n/16 {
			img, err := DecodeBytes(base[:n], Options{})
			if err == nil && img == nil {
				t.Fatalf("%s cut at %d: nil image and nil error", name, n)
			}
			if n > markerAt(t, base, mSOS)+14 && err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrFormat) {
				t.Errorf("%s cut at %d: unexpected error kind %v", name, n, err)
			}
		}
		for i := 0; i < 300; i++ {
			c := bytes.Clone(base)
			for k := 0; k < 1+rng.Intn(4); k++ {
				c[rng.Intn(len(c))] = byte(rng.Intn(256))
			}
			DecodeBytes(c, Options{})
			DecodeNearest(c, 7, 5, Options{})
		}
	}
}

func TestDecodeConfig(t *testing.T) {
	for _, path := range localJPEGs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if unsupportedFiles[filepath.Base(path)] {
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		img, err := DecodeBytes(data, Options{})
		if err != nil {
			continue
		}
		if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height || img.ColorModel() != cfg.ColorModel {
			t.Errorf("%s: config %+v, image %v %v", path, cfg, b, img.ColorModel())
		}
	}
}

func TestFixConstants(t *testing.T) {
	for _, c := range []struct {
		got int
		x   float64
	}{
		{fix0298631336, 0.298631336}, {fix0390180644, 0.390180644}, {fix0541196100, 0.541196100},
		{fix0765366865, 0.765366865}, {fix0899976223, 0.899976223}, {fix1175875602, 1.175875602},
		{fix1501321110, 1.501321110}, {fix1847759065, 1.847759065}, {fix1961570560, 1.961570560},
		{fix2053119869, 2.053119869}, {fix2562915447, 2.562915447}, {fix3072711026, 3.072711026},
	} {
		if want := fix(c.x); c.got != want {
			t.Errorf("FIX(%v) = %d, want %d", c.x, c.got, want)
		}
	}
}
