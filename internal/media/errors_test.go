package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"runtime"
	"testing"
)

// pngHeader returns a PNG signature and IHDR chunk for a w×h RGBA image, with
// no pixel data: enough for DecodeConfig, a decompression bomb's announcement.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestDecodeErrors(t *testing.T) {
	corruptJPEG := bytes.Clone(readTestdata(t, "jpeg-420.jpg"))
	for i := 200; i < len(corruptJPEG)-2; i += 3 {
		corruptJPEG[i] = 0xFF // markers in the entropy-coded data
	}
	png := readTestdata(t, "png-rgb.png")
	tests := []struct {
		name    string
		data    []byte
		lim     Limits
		is      error
		message string
	}{
		{"text", []byte("Dear diary,\nthe bridge was lovely.\n"), Limits{}, ErrUnknownFormat, "not an image (text file)"},
		{"empty", nil, Limits{}, ErrUnknownFormat, "not an image (empty file)"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Limits{}, ErrUnknownFormat, "not an image (PDF document)"},
		{"binary", []byte{0x00, 0x9c, 0x13, 0x07, 0xfe, 0x01}, Limits{}, ErrUnknownFormat, "not an image (unrecognised data)"},
		{"30000x30000 png", pngHeader(30000, 30000), Limits{}, ErrTooLarge, "png: 30000x30000 pixels exceeds the 100000000-pixel budget"},
		{"pixel budget", png, Limits{MaxPixels: 1000}, ErrTooLarge, "png: 48x32 pixels exceeds the 1000-pixel budget"},
		{"byte budget", png, Limits{MaxBytes: 100}, ErrTooLarge, fmt.Sprintf("png: %d bytes exceeds the 100-byte budget", len(png))},
		{"zero width png", pngHeader(0, 10), Limits{}, ErrCorrupt, "png: corrupt data: invalid format: non-positive dimension"},
		{"truncated png", png[:len(png)/2], Limits{}, ErrCorrupt, "png: corrupt data: invalid format: not enough pixel data"},
		{"truncated jpeg", readTestdata(t, "jpeg-truncated.jpg"), Limits{}, ErrCorrupt, "jpeg: corrupt data: truncated data: marker 0xc4 segment"},
		{"corrupt jpeg", corruptJPEG, Limits{}, ErrCorrupt, ""},
		{"png header only", pngHeader(10, 10), Limits{}, ErrCorrupt, "png: corrupt data: unexpected EOF"},
		{"heic grid tile over budget", readTestdata(t, "heic-wide.heic"), Limits{MaxPixels: 112 * 75}, ErrTooLarge,
			"heic: 112x76 pixels exceeds the 8400-pixel budget"},
		{"heic without meta", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), Limits{}, ErrCorrupt,
			"heic: corrupt data: malformed ISO-BMFF: no meta box (not a still image)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode(context.Background(), tc.data, tc.lim)
			if err == nil {
				t.Fatalf("decoded %T, want error", d.Image)
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if tc.message != "" && err.Error() != tc.message {
				t.Errorf("message %q, want %q", err, tc.message)
			}
		})
	}
}

func TestTooLargeError(t *testing.T) {
	_, err := Decode(context.Background(), pngHeader(30000, 30000), Limits{})
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Width != 30000 || tl.Height != 30000 || tl.Limit != DefaultMaxPixels || tl.Format != PNG {
		t.Fatalf("got %#v", err)
	}
	_, w, h, err := DecodeConfig(pngHeader(30000, 30000))
	if err != nil || w != 30000 || h != 30000 {
		t.Errorf("DecodeConfig = %dx%d, %v", w, h, err)
	}
}

// TestBombNotAllocated checks that refusing a 30000x30000 PNG (3.6 GB as
// NRGBA) allocates almost nothing: the budget is checked on the header.
func TestBombNotAllocated(t *testing.T) {
	data := pngHeader(30000, 30000)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := Decode(ctx, data, Limits{}); !errors.Is(err, ErrTooLarge) {
			t.Fatal(err)
		}
	})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 10; i++ {
		Decode(ctx, data, Limits{})
	}
	runtime.ReadMemStats(&after)
	perCall := (after.TotalAlloc - before.TotalAlloc) / 10
	t.Logf("%.0f allocations, %d bytes per refused decode", allocs, perCall)
	if perCall > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes per call", perCall)
	}
}

func TestDecodeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Decode(ctx, readTestdata(t, "png-rgb.png"), Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestRunRecoversPanics(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, c := range []context.Context{context.Background(), ctx} {
		_, err := run(c, TIFF, func(context.Context) (image.Image, error) { panic("index out of range") })
		if !errors.Is(err, ErrCorrupt) || err.Error() != "tiff: corrupt data: decoder panic: index out of range" {
			t.Errorf("err = %v", err)
		}
	}
}

// TestNarrowHEICWithoutHeifConvert: without heif-convert on PATH, a HEIC the
// in-process decoder would scramble is refused with ErrUnsupported.
func TestNarrowHEICWithoutHeifConvert(t *testing.T) {
	if HEIFDecoders() != "heic: WebAssembly (wazero); avif: WebAssembly (wazero)" {
		t.Skip("system libheif in use:", HEIFDecoders())
	}
	t.Setenv("PATH", t.TempDir())
	_, err := Decode(context.Background(), readTestdata(t, "heic-chelsea.heic"), Limits{})
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("err = %v, want ErrUnsupported", err)
	}
	t.Log(err)
	if _, err := Decode(context.Background(), readTestdata(t, "heic-wide.heic"), Limits{}); err != nil {
		t.Errorf("wide HEIC: %v", err)
	}
}

func TestCorruptErrorOneLine(t *testing.T) {
	err := &CorruptError{Format: AVIF, Err: errors.New("decode: wasm error: unreachable\nwasm stack trace:\n\t.$175(i32)")}
	if got := err.Error(); got != "avif: corrupt data: decode: wasm error: unreachable" {
		t.Errorf("got %q", got)
	}
}
