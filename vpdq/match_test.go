package vpdq

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/havenproject/haven/pdq"
)

// flip returns h with n distinct bits flipped, chosen by r.
func flip(r *rand.Rand, h pdq.Hash, n int) pdq.Hash {
	for _, k := range r.Perm(256)[:n] {
		h[k/8] ^= 1 << (k % 8)
	}
	return h
}

func randHash(r *rand.Rand) (h pdq.Hash) {
	for i := range h {
		h[i] = byte(r.Uint32())
	}
	return h
}

// frames builds a frame list at 1 fps from hashes and qualities.
func frames(hashes []pdq.Hash, quality ...int) []Frame {
	out := make([]Frame, len(hashes))
	for i, h := range hashes {
		q := 100
		if i < len(quality) {
			q = quality[i]
		}
		out[i] = Frame{Number: 30 * i, Hash: h, Quality: q, Timestamp: float64(i)}
	}
	return out
}

func TestCompareRules(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a, b, c := randHash(r), randHash(r), randHash(r)
	a31, a30 := flip(r, a, 31), flip(r, a, 30)
	tests := []struct {
		name   string
		q, c   []Frame
		opt    MatchOptions
		pq, pc float64
		counts [4]int // query matched, frames; compared matched, frames
	}{
		{"identical", frames([]pdq.Hash{a, b}), frames([]pdq.Hash{a, b}), DefaultMatch, 100, 100, [4]int{2, 2, 2, 2}},
		{"disjoint", frames([]pdq.Hash{a}), frames([]pdq.Hash{b}), DefaultMatch, 0, 0, [4]int{0, 1, 0, 1}},
		{"distance 31 matches under unique (<=)", frames([]pdq.Hash{a}), frames([]pdq.Hash{a31}), DefaultMatch, 100, 100, [4]int{1, 1, 1, 1}},
		{"distance 31 does not match under every-frame (<)", frames([]pdq.Hash{a}), frames([]pdq.Hash{a31}),
			MatchOptions{Rule: RuleEveryFrame, Distance: 31, Quality: 50}, 0, 0, [4]int{0, 1, 0, 1}},
		{"distance 30 matches under every-frame", frames([]pdq.Hash{a}), frames([]pdq.Hash{a30}),
			MatchOptions{Rule: RuleEveryFrame, Distance: 31, Quality: 50}, 100, 100, [4]int{1, 1, 1, 1}},
		// Query a a a b: unique hashes {a, b}, a matches: 1 of 2. Every
		// frame: 3 of 4 frames.
		{"duplicates count once (unique)", frames([]pdq.Hash{a, a, a, b}), frames([]pdq.Hash{a, c}), DefaultMatch, 50, 50, [4]int{1, 2, 1, 2}},
		{"duplicates count each (every-frame)", frames([]pdq.Hash{a, a, a, b}), frames([]pdq.Hash{a, c}),
			MatchOptions{Rule: RuleEveryFrame, Distance: 31, Quality: 50}, 75, 50, [4]int{3, 4, 1, 2}},
		// Quality filter on both sides: the query's low b and the
		// compared video's low c are left out of the denominators.
		{"quality filter on both sides", frames([]pdq.Hash{a, b}, 100, 49), frames([]pdq.Hash{a, c}, 50, 10), DefaultMatch, 100, 100, [4]int{1, 1, 1, 1}},
		{"low quality frames are not compared", frames([]pdq.Hash{a}, 49), frames([]pdq.Hash{a}), DefaultMatch, 0, 0, [4]int{0, 0, 0, 1}},
		// Unique: the first frame of a hash decides; its low quality drops
		// the later good copy too (python-threatexchange: dedupe, then
		// filter).
		{"first duplicate decides quality (unique)", frames([]pdq.Hash{a, a, b}, 10, 100, 100), frames([]pdq.Hash{a, b}), DefaultMatch, 100, 50, [4]int{1, 1, 1, 2}},
		{"every duplicate filtered alone (every-frame)", frames([]pdq.Hash{a, a, b}, 10, 100, 100), frames([]pdq.Hash{a, b}),
			MatchOptions{Rule: RuleEveryFrame, Distance: 31, Quality: 50}, 100, 100, [4]int{2, 2, 2, 2}},
		{"quality 0 keeps all", frames([]pdq.Hash{a}, 0), frames([]pdq.Hash{a}, 0), MatchOptions{Distance: 31}, 100, 100, [4]int{1, 1, 1, 1}},
		{"empty query", nil, frames([]pdq.Hash{a}), DefaultMatch, 0, 0, [4]int{0, 0, 0, 1}},
		{"distance 0: identical only", frames([]pdq.Hash{a, a30}), frames([]pdq.Hash{a}), MatchOptions{Distance: 0}, 50, 100, [4]int{1, 2, 1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Compare(tc.q, tc.c, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			counts := [4]int{got.QueryMatched, got.QueryFrames, got.ComparedMatched, got.ComparedFrames}
			if got.QueryPercent != tc.pq || got.ComparedPercent != tc.pc || counts != tc.counts {
				t.Errorf("got %.2f%% %.2f%% %v, want %.2f%% %.2f%% %v", got.QueryPercent, got.ComparedPercent, counts, tc.pq, tc.pc, tc.counts)
			}
		})
	}
}

func TestCompareOptionErrors(t *testing.T) {
	for _, opt := range []MatchOptions{
		{Distance: -1}, {Distance: 257}, {Quality: -1}, {Quality: 102}, {Rule: 7},
		{MinQueryPercent: 101}, {MinComparedPercent: -1},
	} {
		if _, err := Compare(nil, nil, opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
}

func TestSegments(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	h := make([]pdq.Hash, 10)
	for i := range h {
		h[i] = randHash(r)
	}
	// The compared video: frames 0..9. The query holds frames 1-3 and 6-8,
	// and frame 5 of the compared video has low quality (neutral).
	compared := frames(h, 100, 100, 100, 100, 100, 10, 100, 100, 100, 100)
	query := frames([]pdq.Hash{h[1], h[2], h[3], h[6], h[7], h[8]})
	got, err := Compare(query, compared, DefaultMatch)
	if err != nil {
		t.Fatal(err)
	}
	want := []Segment{{Start: 1, End: 3, First: 30, Last: 90, Frames: 3}, {Start: 6, End: 8, First: 180, Last: 240, Frames: 3}}
	if !reflect.DeepEqual(got.ComparedSegments, want) {
		t.Errorf("compared segments %+v, want %+v", got.ComparedSegments, want)
	}
	if w := []Segment{{Start: 0, End: 5, First: 0, Last: 150, Frames: 6}}; !reflect.DeepEqual(got.QuerySegments, w) {
		t.Errorf("query segments %+v, want %+v", got.QuerySegments, w)
	}
	// A low-quality frame inside a run does not split it.
	query = frames([]pdq.Hash{h[4], h[5], h[6]})
	got, _ = Compare(query, compared, DefaultMatch)
	if w := []Segment{{Start: 4, End: 6, First: 120, Last: 180, Frames: 2}}; !reflect.DeepEqual(got.ComparedSegments, w) {
		t.Errorf("segments across a low-quality frame %+v, want %+v", got.ComparedSegments, w)
	}
}

func TestPrune(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	a, b := randHash(r), randHash(r)
	in := frames([]pdq.Hash{a, a, flip(r, a, 2), flip(r, a, 3), b, b})
	got := Prune(in, 2)
	if len(got) != 3 || got[0].Number != 0 || got[1].Number != 90 || got[2].Number != 120 {
		t.Errorf("Prune(2) kept %v", got)
	}
	if got := Prune(in, -1); len(got) != len(in) {
		t.Errorf("Prune(-1) kept %d of %d", len(got), len(in))
	}
	if got := Prune(nil, 5); len(got) != 0 {
		t.Errorf("Prune(nil) = %v", got)
	}
}
