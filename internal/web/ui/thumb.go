package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"image"
	"image/jpeg"

	xdraw "golang.org/x/image/draw"

	"github.com/havenproject/haven/internal/media"
)

// thumbSide bounds the longer side of an upload's thumbnail, in pixels.
const thumbSide = 240

// thumbnail decodes data and returns a small JPEG of it as a data: URL, to
// be sent inline and forgotten: it is never written anywhere.
func thumbnail(ctx context.Context, data []byte, lim media.Limits) (template.URL, error) {
	dec, err := media.Decode(ctx, data, lim)
	if err != nil {
		return "", fmt.Errorf("thumbnail: %w", err)
	}
	src := dec.Image
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > thumbSide || h > thumbSide {
		if w >= h {
			w, h = thumbSide, max(1, h*thumbSide/w)
		} else {
			w, h = max(1, w*thumbSide/h), thumbSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
	dst = orient(dst, dec.Orientation)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 75}); err != nil {
		return "", fmt.Errorf("thumbnail: %w", err)
	}
	// The data: URL is built here from our own encoder's bytes, so it is
	// safe to mark as a URL for the template.
	return template.URL("data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}
