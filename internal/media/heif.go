package media

import (
	"bytes"
	"context"
	"fmt"
	"image"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/heic"

	"github.com/havenproject/haven/internal/media/bmff"
)

// HEIC and AVIF are decoded by github.com/gen2brain/heic and /avif: libheif +
// libde265 and libavif + dav1d compiled to WebAssembly and run by wazero, so no
// cgo is needed. Built with -tags nodynamic they always use that WebAssembly.
// Without the tag they first try to dlopen a system libheif.so / libavif.so
// (present only with Debian's -dev packages) and fall back to the WebAssembly;
// HEIFDecoders says which is in use. Release builds should use the tag: the
// output is then identical everywhere, and a crash in hostile input stays
// inside the WebAssembly sandbox instead of killing the process.
//
// Package media parses the container itself (package bmff) to check the pixel
// budget and read EXIF before the decoder runs, and works around three
// properties of the decoders:
//   - libavif premultiplies alpha, which would destroy the colour under
//     transparent pixels that PDQ hashes. The alpha auxiliary's type is
//     renamed in a private copy of the file, so both decoders ignore the alpha
//     plane and return the stored colour, opaque.
//   - libheif applies irot/imir/clap; libavif does not. Decoded.Orientation
//     therefore carries AVIF's irot/imir and is 0 for HEIC.
//   - gen2brain/heic (v0.4.5) assumes libheif's plane strides are the width
//     rounded up to 16 bytes, but libheif pads every plane to at least 64
//     bytes, so images whose luma or chroma planes are narrower than 64 bytes
//     come out scrambled. Those (width ≤ 96) go to heif-convert when it is
//     installed and otherwise fail with ErrUnsupported.

// narrowHEIC is the widest HEIC output the WebAssembly decoder gets wrong:
// with 4:2:0 chroma a 96-pixel row has 48-byte chroma planes.
const narrowHEIC = 96

// HEIFDecoders describes the HEIC and AVIF decoders in use, for diagnostics.
func HEIFDecoders() string {
	return fmt.Sprintf("heic: %s; avif: %s", backend(heic.Dynamic()), backend(avif.Dynamic()))
}

func backend(dynamicErr error) string {
	if dynamicErr == nil {
		return "system library"
	}
	return "WebAssembly (wazero)"
}

// heifConfig parses the container and returns the size Decode will report:
// libheif's display size for HEIC, the stored size for AVIF.
func (s *source) heifConfig() (w, h int, err error) {
	f, err := bmff.Parse(s.data)
	if err != nil {
		return 0, 0, corrupt(s.format, err)
	}
	it, err := f.PrimaryItem()
	if err != nil {
		return 0, 0, corrupt(s.format, err)
	}
	if it.Width == 0 || it.Height == 0 {
		return 0, 0, corrupt(s.format, fmt.Errorf("primary item %d has no size (ispe)", it.ID))
	}
	s.heif, s.item = f, it
	if it.Type == "av01" {
		s.format = AVIF // generic HEIF ("mif1") holding an AV1 image
	}
	if s.format == HEIC {
		w, h = it.DisplaySize()
		return w, h, nil
	}
	return it.Width, it.Height, nil
}

// checkHEIFPixels applies the pixel budget to what the decoder will really
// allocate: the primary item's ispe size (clap may make the display size
// smaller) and, for a grid, each tile, since libheif decodes tiles whole.
func (s *source) checkHEIFPixels(lim Limits) error {
	if s.item == nil {
		return nil
	}
	if err := lim.checkPixels(s.format, s.item.Width, s.item.Height); err != nil {
		return err
	}
	for _, r := range s.heif.Refs {
		if r.Type != "dimg" || r.From != s.item.ID {
			continue
		}
		for _, id := range r.To {
			tile := s.heif.Item(id)
			if tile == nil || tile.Width == 0 || tile.Height == 0 {
				return corrupt(s.format, fmt.Errorf("grid tile %d has no size (ispe)", id))
			}
			if err := lim.checkPixels(s.format, tile.Width, tile.Height); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeHEIF decodes the primary image of a HEIC or AVIF file.
func (s *source) decodeHEIF(ctx context.Context) (image.Image, error) {
	data := withoutAlpha(s.data, s.heif.AlphaAuxOffsets())
	if s.format == AVIF {
		if !s.heif.HasBrand("avif") && !s.heif.HasBrand("avis") {
			// libavif insists on the brand; generic HEIF ("mif1") may carry AV1 too.
			data = bytes.Clone(data)
			copy(data[8:12], "avif") // the major brand; Parse saw the ftyp box first
		}
		return avif.Decode(bytes.NewReader(data))
	}
	if w, _ := s.item.DisplaySize(); w <= narrowHEIC && heic.Dynamic() != nil {
		return decodeHEIFExternal(ctx, s.format, data)
	}
	return heic.Decode(bytes.NewReader(data))
}

// withoutAlpha returns data, or a copy in which the alpha auxiliary type
// strings at offs no longer match, so decoders treat the alpha planes as
// unknown auxiliary images and skip them.
func withoutAlpha(data []byte, offs []int) []byte {
	if len(offs) == 0 {
		return data
	}
	c := bytes.Clone(data)
	for _, off := range offs {
		if off >= 0 && off < len(c) {
			c[off] = 'X' // "urn:..." becomes "Xrn:..."
		}
	}
	return c
}
