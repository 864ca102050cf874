package jpeg

import (
	"bytes"
	"os"
	"testing"
)

// fuzzOptions keeps fuzzing iterations cheap.
var fuzzOptions = Options{MaxPixels: 1 << 18}

func addSeeds(f *testing.F) {
	for _, path := range localJPEGs(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := DecodeBytes(data, fuzzOptions)
		if err != nil {
			return
		}
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Decode succeeded but DecodeConfig failed: %v", err)
		}
		if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
			t.Fatalf("Decode gave %v, DecodeConfig %dx%d", b, cfg.Width, cfg.Height)
		}
	})
}

func FuzzDecodeNearest(f *testing.F) {
	for _, path := range localJPEGs(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(5), uint8(4))
	}
	f.Fuzz(func(t *testing.T, data []byte, w, h uint8) {
		mw, mh := int(w%64)+1, int(h%64)+1
		got, W, H, err := DecodeNearest(data, mw, mh, fuzzOptions)
		if err != nil {
			return
		}
		// The sampled path must agree with full decode + sampling.
		full, err := DecodeBytes(data, fuzzOptions)
		if err != nil {
			t.Fatalf("DecodeNearest succeeded, DecodeBytes failed: %v", err)
		}
		want := full
		if W > mw || H > mh {
			want = sampleNearest(full, mw, mh)
		}
		if got.Bounds() != want.Bounds() || !bytes.Equal(pixels(got), pixels(want)) {
			t.Fatalf("DecodeNearest %dx%d of %dx%d differs from full decode + sampling", mw, mh, W, H)
		}
	})
}
