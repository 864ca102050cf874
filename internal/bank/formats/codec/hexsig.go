package codec

import (
	"fmt"

	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/vpdq"
)

// ErrAmbiguous reports 64 hex digits with nothing to say whether they are
// a SHA-256 or a PDQ hash.
var ErrAmbiguous = fmt.Errorf("64 hex digits may be sha256 or pdq: %w; set the kind", signal.ErrKind)

// GuessSignal reads a bare hex value whose kind the file does not state:
// by its length, with want deciding 64 digits.
func GuessSignal(value string, want signal.Kind) (signal.Signal, error) {
	if want == signal.VPDQ {
		return NewSignal(want, value)
	}
	kinds := signal.Guess(value)
	switch {
	case len(kinds) == 1:
		return signal.New(kinds[0], value)
	case len(kinds) > 1:
		for _, k := range kinds {
			if k == want {
				return signal.New(k, value)
			}
		}
		return signal.Signal{}, ErrAmbiguous
	case want != "":
		return signal.New(want, value) // for its error message
	}
	return signal.Signal{}, fmt.Errorf("%w: %d characters of %q are not an md5, sha1 or 64-digit hash",
		signal.ErrValue, len(value), Excerpt([]byte(value)))
}

// NewSignal is signal.New, and for vPDQ also parses the value in any form
// vpdq.ParseSignal reads (reference lines, HMA's JSON array, pytx's older
// object) and returns it in the canonical form, so that a bad vPDQ value
// is rejected at its record, with its position.
func NewSignal(k signal.Kind, value string) (signal.Signal, error) {
	s, err := signal.New(k, value)
	if err != nil || k != signal.VPDQ {
		return s, err
	}
	v, err := vpdq.CanonicalSignal(value)
	if err != nil {
		return signal.Signal{}, fmt.Errorf("%w: %w", signal.ErrValue, err)
	}
	return signal.Signal{Kind: k, Value: v}, nil
}

// HMASignal returns a signal's value as HMA and python-threatexchange
// write it: a vPDQ value as their one-line JSON array, others unchanged.
func HMASignal(s signal.Signal) (string, error) {
	if s.Kind != signal.VPDQ {
		return s.Value, nil
	}
	frames, err := vpdq.ParseSignal(s.Value)
	if err != nil {
		return "", fmt.Errorf("%w: %w", signal.ErrValue, err)
	}
	return vpdq.FormatHMA(frames), nil
}
