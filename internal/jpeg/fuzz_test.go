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
		lenient := fuzzOptions
		lenient.Lenient = true
		limg, lerr := DecodeBytes(data, lenient)
		img, err := DecodeBytes(data, fuzzOptions)
		if err != nil {
			return
		}
		// Lenient decoding accepts everything strict decoding does, with
		// the same pixels.
		if lerr != nil || !bytes.Equal(pixels(limg), pixels(img)) {
			t.Fatalf("strict decode succeeded but lenient differs (err %v)", lerr)
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
		f.Add(data, uint8(5), uint8(4), false)
		f.Add(data[:len(data)*2/3], uint8(7), uint8(3), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, w, h uint8, lenient bool) {
		mw, mh := int(w%64)+1, int(h%64)+1
		opt := fuzzOptions
		opt.Lenient = lenient
		got, W, H, err := DecodeNearest(data, mw, mh, opt)
		if err != nil {
			return
		}
		// The sampled path must agree with full decode + sampling.
		full, err := DecodeBytes(data, opt)
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
