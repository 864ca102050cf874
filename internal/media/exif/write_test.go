package exif_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/media"
	"github.com/havenproject/haven/internal/media/exif"
)

// TestBuildRoundTrip reads back what Build writes, alone and inside a JPEG
// decoded by package media, for full, partial and empty cameras (short
// values live in the entry, long ones after the IFD).
func TestBuildRoundTrip(t *testing.T) {
	taken := time.Date(2026, 5, 1, 20, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		cam  exif.Camera
	}{
		{"full", exif.Camera{Make: "Canon", Model: "Canon EOS 5D", Serial: "CAM-777", Taken: taken}},
		{"phone without serial", exif.Camera{Make: "Apple", Model: "iPhone 12", Taken: taken}},
		{"short values", exif.Camera{Make: "Sx", Model: "M1", Serial: "123"}},
		{"serial only", exif.Camera{Serial: "N000042"}},
		{"empty", exif.Camera{}},
	}
	var pic bytes.Buffer
	if err := jpeg.Encode(&pic, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			block := exif.Build(tc.cam)
			d, err := exif.Parse(block)
			if err != nil {
				t.Fatal(err)
			}
			check(t, d, tc.cam)
			withEXIF, err := exif.InJPEG(pic.Bytes(), block)
			if err != nil {
				t.Fatal(err)
			}
			dec, err := media.Decode(context.Background(), withEXIF, media.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if dec.EXIF == nil {
				t.Fatal("media found no EXIF in the JPEG")
			}
			check(t, dec.EXIF, tc.cam)
		})
	}
}

func check(t *testing.T, d *exif.Data, c exif.Camera) {
	t.Helper()
	if d.Make != c.Make || d.Model != c.Model || d.BodySerialNumber != c.Serial || d.BigEndian {
		t.Errorf("read %v, wrote %+v", d, c)
	}
	got, zoned, ok := d.Taken()
	if ok != !c.Taken.IsZero() || zoned || (ok && !got.Equal(c.Taken)) {
		t.Errorf("Taken = %v %t %t, wrote %v", got, zoned, ok, c.Taken)
	}
}

func TestInJPEGRejects(t *testing.T) {
	if _, err := exif.InJPEG([]byte("GIF89a"), exif.Build(exif.Camera{Make: "x"})); !errors.Is(err, exif.ErrNotJPEG) {
		t.Errorf("InJPEG(GIF) = %v, want ErrNotJPEG", err)
	}
	if _, err := exif.InJPEG([]byte{0xFF, 0xD8, 0xFF, 0xD9}, make([]byte, 70000)); err == nil {
		t.Error("InJPEG took a block larger than one segment")
	}
}
