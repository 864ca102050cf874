package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
)

// hashes yields the bank's hashes: random, from a fixed seed, so that the
// queries can be made near them without reading the database.
type hashes struct {
	r    *rand.Rand
	left int
}

func newHashes(n int) *hashes { return &hashes{r: rand.New(rand.NewPCG(7, 11)), left: n} }

func (h *hashes) next() pdq.Hash {
	var x pdq.Hash
	for i := 0; i < len(x); i += 8 {
		v := h.r.Uint64()
		for j := range 8 {
			x[i+j] = byte(v >> (8 * j))
		}
	}
	return x
}

// Next makes hashes a bank.EntrySource.
func (h *hashes) Next() (bank.Entry, error) {
	if h.left == 0 {
		return bank.Entry{}, io.EOF
	}
	h.left--
	return bank.Entry{Signal: signal.Signal{Kind: signal.PDQ, Value: h.next().String()}}, nil
}

// seed creates the bench bank with n hashes unless it holds them already;
// it reports whether it imported.
func seed(ctx context.Context, banks *bank.Service, benchBank string, n int) (bool, error) {
	_, err := banks.Create(ctx, bank.Bank{Name: benchBank, SourceOrg: "bench-hotline", SharedWith: []string{"bench-platform"}})
	if err != nil && !errors.Is(err, bank.ErrExists) {
		return false, err
	}
	st, err := banks.Stats(ctx, benchBank)
	if err != nil {
		return false, err
	}
	if st.Active == int64(n) {
		return false, nil
	}
	if st.Active != 0 {
		return false, fmt.Errorf("bank %s holds %d hashes, not %d: remove the database", benchBank, st.Active, n)
	}
	_, err = banks.Import(ctx, benchBank, newHashes(n), bank.ImportOptions{AddedBy: "bench", BatchSize: 5000})
	return true, err
}

// makeQueries returns k lookup URLs: a share near bank hashes (up to 8
// bits flipped: matches), the rest random (misses, the common case of a
// platform's uploads).
func makeQueries(ctx context.Context, banks *bank.Service, benchBank string, k int, hitRatio float64, base string) ([]string, []pdq.Hash, error) {
	st, err := banks.Stats(ctx, benchBank)
	if err != nil {
		return nil, nil, err
	}
	stored := newHashes(int(st.Active))
	known := make([]pdq.Hash, 0, 4096)
	for range min(4096, int(st.Active)) {
		known = append(known, stored.next())
	}
	r := rand.New(rand.NewPCG(3, 5))
	random := &hashes{r: rand.New(rand.NewPCG(99, 100))}
	out := make([]string, k)
	hs := make([]pdq.Hash, k)
	for i := range out {
		var h pdq.Hash
		if len(known) > 0 && r.Float64() < hitRatio {
			h = known[r.IntN(len(known))]
			for range r.IntN(9) {
				b := r.IntN(256)
				h[b/8] ^= 1 << (b % 8)
			}
		} else {
			h = random.next()
		}
		out[i] = base + url.QueryEscape(h.String())
		hs[i] = h
	}
	return out, hs, nil
}
