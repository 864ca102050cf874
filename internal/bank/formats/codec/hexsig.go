package codec

import (
	"fmt"

	"github.com/havenproject/haven/internal/signal"
)

// ErrAmbiguous reports 64 hex digits with nothing to say whether they are
// a SHA-256 or a PDQ hash.
var ErrAmbiguous = fmt.Errorf("64 hex digits may be sha256 or pdq: %w; set the kind", signal.ErrKind)

// GuessSignal reads a bare hex value whose kind the file does not state:
// by its length, with want deciding 64 digits.
func GuessSignal(value string, want signal.Kind) (signal.Signal, error) {
	if want == signal.VPDQ {
		return signal.New(want, value)
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
