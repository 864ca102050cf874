package main

import (
	"math/rand/v2"

	"github.com/havenproject/haven/hamming"
)

func randHash(r *rand.Rand) hamming.Hash {
	var h hamming.Hash
	for i := 0; i < 32; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			h[i+j] = byte(v >> (8 * j))
		}
	}
	return h
}

// flip inverts k distinct random bits of h.
func flip(r *rand.Rand, h hamming.Hash, k int) hamming.Hash {
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

// dataset returns n entries with ids 1..n in random order.
//
// uniform: independent random hashes. clustered: cluster centres, each with
// 0-31 neighbours that have 0-40 bits flipped from it (re-encodings and
// edits of one image, as banks hold them).
func dataset(r *rand.Rand, n int, dist string) []hamming.Entry {
	es := make([]hamming.Entry, 0, n)
	for len(es) < n {
		c := randHash(r)
		es = append(es, hamming.Entry{Hash: c})
		if dist != "clustered" {
			continue
		}
		for k := r.IntN(32); k > 0 && len(es) < n; k-- {
			es = append(es, hamming.Entry{Hash: flip(r, c, r.IntN(41))})
		}
	}
	r.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	// Ids in shuffled order: the build has to sort them.
	perm := r.Perm(n)
	for i := range es {
		es[i].ID = uint64(perm[i]) + 1
	}
	return es
}

// queryMix returns q queries: half near-copies of members (0-20 bits
// flipped), half random hashes.
func queryMix(r *rand.Rand, es []hamming.Entry, q int) []hamming.Hash {
	qs := make([]hamming.Hash, q)
	for i := range qs {
		if i%2 == 0 {
			qs[i] = flip(r, es[r.IntN(len(es))].Hash, r.IntN(21))
		} else {
			qs[i] = randHash(r)
		}
	}
	return qs
}
