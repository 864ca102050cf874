package bank_test

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestMain(m *testing.M) {
	if os.Getenv(envCrashChild) != "" {
		os.Exit(crashChild())
	}
	os.Exit(storetest.Main(m))
}

// sliceSource yields entries, then errors, in order: a non-nil err at
// index i is returned instead of entries[i].
type sliceSource struct {
	entries []bank.Entry
	errs    map[int]error
	i       int
}

func (s *sliceSource) Next() (bank.Entry, error) {
	if s.i >= len(s.entries) {
		return bank.Entry{}, io.EOF
	}
	i := s.i
	s.i++
	if err := s.errs[i]; err != nil {
		return bank.Entry{}, err
	}
	return s.entries[i], nil
}

// rejected is a record error as format readers return them.
type rejected struct{ line int }

func (r rejected) Error() string  { return fmt.Sprintf("line %d: bad record", r.line) }
func (r rejected) Rejected() bool { return true }

var errFatal = errors.New("disk on fire")

// randomSource yields n random PDQ entries, deterministic for a seed,
// without holding them.
type randomSource struct {
	rng  *rand.Rand
	n, i int
}

func newRandomSource(n int, seed uint64) *randomSource {
	return &randomSource{rng: rand.New(rand.NewPCG(seed, 1)), n: n}
}

func (s *randomSource) Next() (bank.Entry, error) {
	if s.i >= s.n {
		return bank.Entry{}, io.EOF
	}
	s.i++
	return bank.Entry{Signal: signal.Signal{Kind: signal.PDQ, Value: fmt.Sprintf("%016x%016x%016x%016x",
		s.rng.Uint64(), s.rng.Uint64(), s.rng.Uint64(), s.rng.Uint64())}}, nil
}

func newService(t *testing.T, db *store.DB, banks ...string) *bank.Service {
	t.Helper()
	s := bank.NewService(db)
	for _, name := range banks {
		if _, err := s.Create(t.Context(), bank.Bank{Name: name, SourceOrg: "hotline-a"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func hexOf(b byte, n int) string {
	const digits = "0123456789abcdef"
	out := make([]byte, n)
	for i := range out {
		out[i] = digits[(int(b)+i)%16]
	}
	return string(out)
}

func sig(k signal.Kind, b byte) signal.Signal {
	n := map[signal.Kind]int{signal.MD5: 32, signal.SHA1: 40, signal.SHA256: 64, signal.PDQ: 64}[k]
	return signal.Signal{Kind: k, Value: hexOf(b, n)}
}

func ptr[T any](v T) *T { return &v }
