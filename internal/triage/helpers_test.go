package triage

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// testImage draws random overlapping rectangles on a gradient, chosen by
// seed: broadband content whose PDQ is stable under resizing, so different
// seeds give images far apart and one seed resized stays near itself.
func testImage(seed uint64, w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed*7919+1))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := uint8(x * 255 / w / 2)
			img.SetRGBA(x, y, color.RGBA{g, g, uint8(y * 255 / h / 2), 255})
		}
	}
	for range 24 {
		x0, y0 := r.IntN(w), r.IntN(h)
		x1, y1 := min(w, x0+w/10+r.IntN(w/3)), min(h, y0+h/10+r.IntN(h/3))
		c := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	return img
}

func encodeJPEG(t *testing.T, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// halve box-filters img to half its size.
func halve(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	for y := 0; y < b.Dy()/2; y++ {
		for x := 0; x < b.Dx()/2; x++ {
			var s [3]int
			for _, p := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				c := img.RGBAAt(2*x+p[0], 2*y+p[1])
				s[0], s[1], s[2] = s[0]+int(c.R), s[1]+int(c.G), s[2]+int(c.B)
			}
			out.SetRGBA(x, y, color.RGBA{uint8(s[0] / 4), uint8(s[1] / 4), uint8(s[2] / 4), 255})
		}
	}
	return out
}

// camera is the EXIF a test photo carries.
type camera struct {
	make, model, serial, taken string // taken: "YYYY:MM:DD HH:MM:SS"
}

// withEXIF inserts an APP1 EXIF segment (little-endian TIFF: IFD0 with
// Make, Model and the Exif IFD pointer; Exif IFD with DateTimeOriginal and
// BodySerialNumber) after the SOI of a JPEG.
func withEXIF(jpg []byte, c camera) []byte {
	type tag struct {
		id  uint16
		val []byte // ASCII, NUL added
	}
	asc := func(s string) []byte { return append([]byte(s), 0) }
	ifd0 := []tag{{0x010F, asc(c.make)}, {0x0110, asc(c.model)}}
	exifIFD := []tag{{0x9003, asc(c.taken)}, {0xA431, asc(c.serial)}}
	le := binary.LittleEndian
	// Layout: header(8) | IFD0 | IFD0 data | Exif IFD | Exif data.
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	var tiff []byte
	tiff = append(tiff, 'I', 'I', 42, 0, 8, 0, 0, 0)
	write := func(tags []tag, extra []byte, start int) []byte {
		n := len(tags) + len(extra)/12
		dataOff := start + ifdSize(n)
		var ifd, data []byte
		ifd = le.AppendUint16(ifd, uint16(n))
		for _, tg := range tags {
			ifd = le.AppendUint16(ifd, tg.id)
			ifd = le.AppendUint16(ifd, 2) // ASCII
			ifd = le.AppendUint32(ifd, uint32(len(tg.val)))
			if len(tg.val) <= 4 {
				v := make([]byte, 4)
				copy(v, tg.val)
				ifd = append(ifd, v...)
				continue
			}
			ifd = le.AppendUint32(ifd, uint32(dataOff+len(data)))
			data = append(data, tg.val...)
			if len(data)%2 == 1 {
				data = append(data, 0)
			}
		}
		ifd = append(ifd, extra...)
		ifd = le.AppendUint32(ifd, 0)
		return append(ifd, data...)
	}
	// IFD0 gets one extra LONG entry: the Exif IFD pointer, filled in below.
	ptr := make([]byte, 12)
	le.PutUint16(ptr, 0x8769)
	le.PutUint16(ptr[2:], 4)
	le.PutUint32(ptr[4:], 1)
	first := write(ifd0, ptr, 8)
	exifStart := 8 + len(first)
	// The pointer entry is the last before the next-IFD offset.
	le.PutUint32(first[2+12*len(ifd0)+8:], uint32(exifStart))
	tiff = append(tiff, first...)
	tiff = append(tiff, write(exifIFD, nil, exifStart)...)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(app1)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, app1...)
	return append(out, jpg[2:]...)
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// zipOf builds a zip of name -> bytes, deflated.
func zipOf(t *testing.T, files [][2]any) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0].(string), Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f[1].([]byte))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
