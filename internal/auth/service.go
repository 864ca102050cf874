package auth

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/store"
)

// Errors of the Service, usable with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	ErrInvalid  = errors.New("invalid")
	// ErrBadCredentials refuses a login without saying whether the login
	// name exists.
	ErrBadCredentials = errors.New("wrong login name or password")
	// ErrLocked refuses a login while its name or its remote address is
	// locked out after too many failures.
	ErrLocked = errors.New("too many failed logins: try again later")
	// ErrDisabled refuses a correct login of a disabled user.
	ErrDisabled = errors.New("account disabled")
	// ErrNoSession: the cookie names no live session (unknown, expired,
	// idle too long, logged out, or its user disabled).
	ErrNoSession = fmt.Errorf("%w: no valid session", ErrUnauthenticated)
	// ErrBadToken: the bearer token is malformed, unknown, expired or
	// revoked.
	ErrBadToken = fmt.Errorf("%w: invalid API token", ErrUnauthenticated)
)

// Options tune a Service. Zero fields take the defaults shown.
type Options struct {
	Hash              HashParams // DefaultHashParams; tests lower the cost
	MinPasswordLength int        // 12
	// MaxConcurrentHashes caps argon2id computations at once, since each
	// holds Hash.Memory (GOMAXPROCS).
	MaxConcurrentHashes int

	SessionTTL  time.Duration // absolute session lifetime: 12h
	IdleTimeout time.Duration // session ends after this long unused: 1h

	MaxFailures     int           // failed logins per login name before lockout: 5
	MaxAddrFailures int           // failed logins per remote address before lockout: 50
	FailureWindow   time.Duration // failures older than this are forgotten: 15m
	Lockout         time.Duration // how long a lockout lasts: 15m

	TokenTTL time.Duration // lifetime of a token created with ttl 0: 90 days
	// TokenCacheTTL is how long a node trusts a token it has checked before
	// asking the database again; a revocation on another node takes effect
	// within it (5s; negative: no cache).
	TokenCacheTTL time.Duration

	Now func() time.Time // time.Now
}

func (o Options) withDefaults() Options {
	if o.Hash == (HashParams{}) {
		o.Hash = DefaultHashParams
	}
	setDefault(&o.MinPasswordLength, 12)
	setDefault(&o.MaxConcurrentHashes, runtime.GOMAXPROCS(0))
	setDefault(&o.SessionTTL, 12*time.Hour)
	setDefault(&o.IdleTimeout, time.Hour)
	setDefault(&o.MaxFailures, 5)
	setDefault(&o.MaxAddrFailures, 50)
	setDefault(&o.FailureWindow, 15*time.Minute)
	setDefault(&o.Lockout, 15*time.Minute)
	setDefault(&o.TokenTTL, 90*24*time.Hour)
	setDefault(&o.TokenCacheTTL, 5*time.Second)
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func setDefault[T int | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

// Service keeps organisations, users, sessions and API tokens in the store.
// Its methods are safe for concurrent use, also from several nodes sharing
// one PostgreSQL database. Errors match the Err* values above with
// errors.Is where they apply; others come from the store or ctx.
type Service struct {
	db  *store.DB
	opt Options
	// hashing caps concurrent argon2id runs.
	hashing chan struct{}
	// dummy is a hash of a random password with the current parameters:
	// logins of unknown users verify against it, so that they take as
	// long as those of known ones.
	dummyOnce sync.Once
	dummy     string
	tokens    tokenCache
	// background holds the writes of tokens' last use.
	background sync.WaitGroup
}

// Close waits for the Service's background writes (tokens' last use). Call
// it before closing the store. Close does not stop the Service: it is
// usable after.
func (s *Service) Close() { s.background.Wait() }

// NewService returns a Service on db.
func NewService(db *store.DB, opt Options) *Service {
	opt = opt.withDefaults()
	return &Service{db: db, opt: opt, hashing: make(chan struct{}, opt.MaxConcurrentHashes)}
}

// timestamp returns the current time as the store keeps it: UTC, to the
// microsecond, so that what is written reads back equal.
func (s *Service) timestamp() time.Time {
	return s.opt.Now().UTC().Truncate(time.Microsecond)
}

// hash and verify run argon2id within the concurrency cap, waiting for a
// slot no longer than ctx allows.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-s.hashing }()
	return HashPassword(password, s.opt.Hash)
}

func (s *Service) verify(ctx context.Context, password, encoded string) (bool, error) {
	if err := s.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-s.hashing }()
	return VerifyPassword(password, encoded)
}

func (s *Service) acquire(ctx context.Context) error {
	select {
	case s.hashing <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for password hashing: %w", ctx.Err())
	}
}

func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		h, err := HashPassword(GeneratePassword(), s.opt.Hash)
		if err != nil {
			panic(err) // only crypto/rand could fail, and it does not
		}
		s.dummy = h
	})
	return s.dummy
}
