package media

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels for errors.Is. Every error Decode and DecodeConfig return for bad
// input matches exactly one of them.
var (
	ErrUnknownFormat = errors.New("not an image")
	ErrTooLarge      = errors.New("image too large")
	ErrCorrupt       = errors.New("corrupt image")
	ErrUnsupported   = errors.New("unsupported image")
)

// NotImageError reports content that is not a decodable image. Kind says what
// it appears to be ("text file", "PDF document"); it is empty when unknown.
type NotImageError struct {
	Kind string
}

func (e *NotImageError) Error() string {
	if e.Kind == "" {
		return "not an image (unrecognised data)"
	}
	return "not an image (" + e.Kind + ")"
}

// Is makes NotImageError match ErrUnknownFormat.
func (e *NotImageError) Is(target error) bool { return target == ErrUnknownFormat }

// TooLargeError reports an input over a budget, found before decoding. For the
// pixel budget Width and Height are the image's and Limit is in pixels; for the
// byte budget Bytes is the input size and Limit is in bytes.
type TooLargeError struct {
	Format        Format
	Width, Height int
	Bytes         int64
	Limit         int64
}

func (e *TooLargeError) Error() string {
	prefix := ""
	if e.Format != "" {
		prefix = string(e.Format) + ": "
	}
	if e.Bytes > 0 {
		return fmt.Sprintf("%s%d bytes exceeds the %d-byte budget", prefix, e.Bytes, e.Limit)
	}
	return fmt.Sprintf("%s%dx%d pixels exceeds the %d-pixel budget", prefix, e.Width, e.Height, e.Limit)
}

// Is makes TooLargeError match ErrTooLarge.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// CorruptError reports a file of a known format that could not be read. Err is
// the decoder's own error (or a recovered panic).
type CorruptError struct {
	Format Format
	Err    error
}

func (e *CorruptError) Error() string {
	// Decoders prefix their own name ("png: invalid format"); say it once.
	// WebAssembly traps append a stack trace; keep the first line.
	msg := strings.TrimPrefix(e.Err.Error(), string(e.Format)+": ")
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return fmt.Sprintf("%s: corrupt data: %s", e.Format, msg)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Is makes CorruptError match ErrCorrupt.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// UnsupportedError reports a valid file using a feature no available decoder handles.
type UnsupportedError struct {
	Format Format
	What   string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: not supported: %s", e.Format, e.What)
}

// Is makes UnsupportedError match ErrUnsupported.
func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }

// corrupt wraps a decoder error for format f, unless it is already one of ours.
func corrupt(f Format, err error) error {
	var (
		c *CorruptError
		t *TooLargeError
		u *UnsupportedError
	)
	if errors.As(err, &c) || errors.As(err, &t) || errors.As(err, &u) {
		return err
	}
	return &CorruptError{Format: f, Err: err}
}
