package media

import "fmt"

// Limits are budgets checked before any pixels are allocated. Zero or negative
// fields mean the defaults.
type Limits struct {
	MaxPixels int64 // width × height of the stored image
	MaxBytes  int64 // size of the encoded input
}

// Defaults: 100 megapixels covers every current phone and most cameras
// (a 100 MP NRGBA image needs 400 MB); 256 MiB of input is far above any photo.
const (
	DefaultMaxPixels = 100_000_000
	DefaultMaxBytes  = 256 << 20
)

// DefaultLimits returns the default budgets.
func DefaultLimits() Limits {
	return Limits{MaxPixels: DefaultMaxPixels, MaxBytes: DefaultMaxBytes}
}

func (l Limits) withDefaults() Limits {
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	return l
}

// checkPixels refuses dimensions that are not positive or exceed the budget.
func (l Limits) checkPixels(f Format, w, h int) error {
	if w <= 0 || h <= 0 {
		return &CorruptError{Format: f, Err: errBadSize{w, h}}
	}
	if int64(w)*int64(h) > l.MaxPixels {
		return &TooLargeError{Format: f, Width: w, Height: h, Limit: l.MaxPixels}
	}
	return nil
}

type errBadSize struct{ w, h int }

func (e errBadSize) Error() string { return fmt.Sprintf("invalid dimensions %dx%d", e.w, e.h) }
