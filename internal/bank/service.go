package bank

import (
	"time"

	"github.com/havenproject/haven/internal/store"
)

// Service keeps banks and their entries in the store.
//
// Its methods are safe for concurrent use. Every method that changes a
// bank or its entries runs in one transaction that first bumps the bank's
// Seq (which also serialises changes to one bank across Haven nodes) and
// stamps every entry it changes with the new Seq, so that a follower that
// has seen Seq n of a bank needs only the entries with Seq > n. A change
// that changes nothing (an import of known hashes, a withdrawal of absent
// ones) leaves Seq as it was. Errors match ErrNotFound, ErrExists,
// ErrInvalid or ErrTooManyRejected with errors.Is where they apply; others
// come from the store or ctx.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// NewService returns a Service on db.
func NewService(db *store.DB) *Service {
	return &Service{db: db, now: time.Now}
}

// timestamp returns the current time as the store keeps it: UTC, to the
// microsecond (PostgreSQL's precision), so that what is written reads back
// equal.
func (s *Service) timestamp() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}
