package jpeg

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
)

// decodeConfig reads markers from r up to the frame header without
// buffering the whole file.
func decodeConfig(r io.Reader) (image.Config, error) {
	br := bufio.NewReader(r)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi[0] != 0xFF || soi[1] != mSOI {
		return image.Config{}, fmt.Errorf("%w: not a JPEG file (no SOI)", ErrFormat)
	}
	for {
		m, err := nextMarkerReader(br)
		if err != nil {
			return image.Config{}, err
		}
		if (m >= mRST0 && m <= mRST7) || m == mTEM {
			continue
		}
		var lb [2]byte
		if _, err := io.ReadFull(br, lb[:]); err != nil {
			return image.Config{}, fmt.Errorf("%w: marker %#x segment length", ErrTruncated, m)
		}
		n := int(lb[0])<<8 | int(lb[1])
		if n < 2 {
			return image.Config{}, fmt.Errorf("%w: marker %#x bad length %d", ErrFormat, m, n)
		}
		switch {
		case m == mSOF0 || m == mSOF1 || m == mSOF2:
			p := make([]byte, n-2)
			if _, err := io.ReadFull(br, p); err != nil {
				return image.Config{}, fmt.Errorf("%w: SOF segment", ErrTruncated)
			}
			d := &decoder{}
			if err := d.parseSOF(m, p); err != nil {
				return image.Config{}, err
			}
			model := color.Model(color.RGBAModel)
			if d.ncomp == 1 {
				model = color.GrayModel
			}
			return image.Config{ColorModel: model, Width: d.width, Height: d.height}, nil
		case m >= 0xC3 && m <= 0xCF && m != mDHT && m != 0xC8 && m != mDAC:
			return image.Config{}, fmt.Errorf("%w: SOF marker %#x (lossless, hierarchical or arithmetic coding)", ErrUnsupported, m)
		case m == mSOS || m == mEOI || m == mSOI:
			return image.Config{}, fmt.Errorf("%w: marker %#x before frame header", ErrFormat, m)
		}
		if _, err := br.Discard(n - 2); err != nil {
			return image.Config{}, fmt.Errorf("%w: marker %#x segment", ErrTruncated, m)
		}
	}
}

// nextMarkerReader is nextMarker for a stream.
func nextMarkerReader(br *bufio.Reader) (int, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, fmt.Errorf("%w: no frame header", ErrTruncated)
			}
			return 0, fmt.Errorf("jpeg: read: %w", err)
		}
		if b != 0xFF {
			continue
		}
		for b == 0xFF {
			if b, err = br.ReadByte(); err != nil {
				return 0, fmt.Errorf("%w: no frame header", ErrTruncated)
			}
		}
		if b != 0 {
			return int(b), nil
		}
	}
}
