package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
)

// heifConvert is the external HEIF decoder from Debian's libheif-examples.
const heifConvert = "heif-convert"

// externalHEIF allows running heif-convert; fuzzing turns it off.
var externalHEIF = true

// maxPNGOutput bounds what is read back from heif-convert.
const maxPNGOutput = 1 << 30

// decodeHEIFExternal decodes data with heif-convert through a private
// temporary directory. It is used only for images the in-process decoder
// cannot handle (see heif.go).
func decodeHEIFExternal(ctx context.Context, f Format, data []byte) (image.Image, error) {
	path, err := exec.LookPath(heifConvert)
	if err != nil || !externalHEIF {
		return nil, &UnsupportedError{Format: f, What: fmt.Sprintf(
			"images %d pixels wide or narrower need %s (Debian package libheif-examples), which is not installed",
			narrowHEIC, heifConvert)}
	}
	dir, err := os.MkdirTemp("", "haven-heif-")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", heifConvert, err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.heic"), filepath.Join(dir, "out.png")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("%s: %w", heifConvert, err)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, in, out)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := firstLine(stderr.Bytes())
		if msg == "" {
			msg = err.Error()
		}
		return nil, &CorruptError{Format: f, Err: fmt.Errorf("%s: %s", heifConvert, msg)}
	}
	b, err := readBounded(out, maxPNGOutput)
	if err != nil {
		return nil, fmt.Errorf("%s output: %w", heifConvert, err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s output: %w", heifConvert, err)
	}
	return img, nil
}

func readBounded(name string, max int64) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if st.Size() > max {
		return nil, errors.New("output too large")
	}
	return os.ReadFile(name)
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return string(bytes.TrimSpace(b))
}
