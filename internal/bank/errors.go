package bank

import "errors"

var (
	// ErrNotFound reports a bank or entry that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists reports a bank name already taken.
	ErrExists = errors.New("already exists")
	// ErrInvalid reports an argument the service refuses (a bad bank name,
	// kind, threshold, or a withdrawal without who or why).
	ErrInvalid = errors.New("invalid")
	// ErrTooManyRejected ends an import whose rejected records exceed
	// ImportOptions.MaxRejected; nothing of it is kept.
	ErrTooManyRejected = errors.New("too many rejected records")
)

// RejectedError is implemented by errors of an EntrySource that reject one
// record and let the source go on (a malformed line, an unknown hash
// type). Rejected reports true for those. Any other error from Next ends
// the import and rolls it back.
type RejectedError interface {
	error
	Rejected() bool
}

// isRejected is the default ImportOptions.IsRejected.
func isRejected(err error) bool {
	var r RejectedError
	return errors.As(err, &r) && r.Rejected()
}
