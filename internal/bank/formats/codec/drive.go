package codec

import (
	"errors"
	"fmt"
	"io"

	"github.com/havenproject/haven/internal/bank/model"
)

// Drive is the Next loop that token-driven readers share: it calls step
// until step yields an entry or fails. A *RecordError is returned and the
// reader goes on; any other error, io.EOF included, ends the reader for
// good: it is kept in *sticky (prefixed with the format's name unless it is
// io.EOF) and returned by every later call.
func Drive(format string, sticky *error, step func() (model.Entry, bool, error)) (model.Entry, error) {
	for *sticky == nil {
		e, ok, err := step()
		if err != nil {
			var re *RecordError
			if errors.As(err, &re) {
				return model.Entry{}, err
			}
			if err != io.EOF {
				err = fmt.Errorf("%s: %w", format, err)
			}
			*sticky = err
			break
		}
		if ok {
			return e, nil
		}
	}
	return model.Entry{}, *sticky
}
