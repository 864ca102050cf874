package hamming

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

func randHash(r *rand.Rand) Hash {
	var h Hash
	for i := 0; i < 32; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8; j++ {
			h[i+j] = byte(v >> (8 * j))
		}
	}
	return h
}

// flip returns h with k distinct random bits inverted.
func flip(r *rand.Rand, h Hash, k int) Hash {
	var done [4]uint64
	for k > 0 {
		b := r.IntN(256)
		if done[b/64]&(1<<(b%64)) != 0 {
			continue
		}
		done[b/64] |= 1 << (b % 64)
		h[b/8] ^= 1 << (b % 8)
		k--
	}
	return h
}

// clustered returns n entries with ids 1..n in random order: cluster
// centres and neighbours with 0-40 bits flipped, some exact duplicates.
func clustered(r *rand.Rand, n int) []Entry {
	es := make([]Entry, 0, n)
	for len(es) < n {
		c := randHash(r)
		for k := 1 + r.IntN(12); k > 0 && len(es) < n; k-- {
			h := c
			if r.IntN(8) > 0 {
				h = flip(r, c, r.IntN(41))
			}
			es = append(es, Entry{ID: uint64(len(es) + 1), Hash: h})
		}
	}
	r.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	return es
}

// queries returns members, near-copies of members at distance about r
// (exactly r for some) and random hashes.
func queries(rnd *rand.Rand, es []Entry, n, r int) []Hash {
	qs := make([]Hash, 0, n)
	for len(qs) < n {
		switch {
		case len(es) == 0 || rnd.IntN(4) == 0:
			qs = append(qs, randHash(rnd))
		default:
			h := es[rnd.IntN(len(es))].Hash
			k := min(256, max(0, r+rnd.IntN(5)-2))
			if rnd.IntN(3) == 0 {
				k = rnd.IntN(k + 1)
			}
			qs = append(qs, flip(rnd, h, k))
		}
	}
	return qs
}

// sameResults fails the test when the index and the reference disagree.
func sameResults(t *testing.T, what string, q Hash, r int, got, want []Match) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s: query %x radius %d: got %d matches %v, want %d %v",
			what, q, r, len(got), head(got), len(want), head(want))
	}
}

func head(m []Match) []Match { return m[:min(len(m), 8)] }
