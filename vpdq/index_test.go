package vpdq

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/havenproject/haven/pdq"
)

// randomVideo makes a video of scenes: each scene is a random hash with
// small drifts, some frames repeat exactly, a few have low quality.
func randomVideo(r *rand.Rand, n int) []Frame {
	out := make([]Frame, n)
	var scene pdq.Hash
	for i := range out {
		switch {
		case i == 0 || r.IntN(6) == 0:
			scene = randHash(r)
		case r.IntN(3) == 0:
			scene = flip(r, scene, r.IntN(6))
		}
		q := 100 - r.IntN(30)
		if r.IntN(8) == 0 {
			q = r.IntN(60)
		}
		out[i] = Frame{Number: i * 25, Hash: scene, Quality: q, Timestamp: float64(i)}
	}
	return out
}

// nearCopy derives a query from v: a trimmed stretch, each hash moved by
// a distance around the match threshold, some frames dropped or repeated,
// and foreign frames added.
func nearCopy(r *rand.Rand, v []Frame, maxFlip int) []Frame {
	lo := r.IntN(len(v))
	hi := lo + 1 + r.IntN(len(v)-lo)
	var out []Frame
	for _, f := range v[lo:hi] {
		if r.IntN(10) == 0 {
			continue
		}
		f.Hash = flip(r, f.Hash, r.IntN(maxFlip+1))
		f.Quality = max(0, min(100, f.Quality+r.IntN(21)-10))
		out = append(out, f)
		if r.IntN(10) == 0 {
			out = append(out, f)
		}
	}
	for range r.IntN(4) {
		out = append(out, Frame{Hash: randHash(r), Quality: r.IntN(101)})
	}
	for i := range out {
		out[i].Number, out[i].Timestamp = i*30, float64(i)
	}
	return out
}

// TestIndexEqualsExhaustive checks on many random collections that Index
// finds exactly what comparing with every video finds: same videos, same
// percentages, same segments, same order, under both rules and various
// distances, quality filters and thresholds, before and after removals
// and replacements.
func TestIndexEqualsExhaustive(t *testing.T) {
	ctx := context.Background()
	rounds := 200
	if testing.Short() {
		rounds = 40
	}
	matched := 0
	for round := range rounds {
		r := rand.New(rand.NewPCG(uint64(round), 99))
		opt := MatchOptions{
			Rule:     Rule(r.IntN(2)),
			Distance: []int{0, 8, 31, 32, 48}[r.IntN(5)],
			Quality:  []int{0, 50, 80}[r.IntN(3)],
		}
		if r.IntN(2) == 0 {
			opt.MinQueryPercent = float64(r.IntN(101))
			opt.MinComparedPercent = float64(r.IntN(101))
		}
		x, err := NewIndex(opt)
		if err != nil {
			t.Fatal(err)
		}
		e, _ := NewExhaustive(opt)
		videos := make([]Video, 60+r.IntN(60))
		for i := range videos {
			videos[i] = Video{ID: uint64(r.IntN(1 << 40)), Frames: randomVideo(r, 1+r.IntN(40))}
		}
		// Some videos share frames with others (re-uploads, compilations).
		for range 10 {
			a, b := &videos[r.IntN(len(videos))], videos[r.IntN(len(videos))]
			a.Frames = append(a.Frames, nearCopy(r, b.Frames, 10)...)
		}
		half := len(videos) / 2
		if err := x.AddBatch(videos[:half]); err != nil {
			t.Fatal(err)
		}
		for _, v := range videos[half:] {
			if err := x.Add(v.ID, v.Frames); err != nil {
				t.Fatal(err)
			}
		}
		e.AddBatch(videos)
		check := func(stage string) {
			for qn := range 25 {
				var q []Frame
				if qn%5 == 4 {
					q = randomVideo(r, 1+r.IntN(30))
				} else {
					q = nearCopy(r, videos[r.IntN(len(videos))].Frames, opt.Distance+3)
				}
				got, err := x.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := e.Search(ctx, q)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("round %d %s query %d (%+v): index found\n%s\nexhaustive found\n%s", round, stage, qn, opt, describe(got), describe(want))
				}
				matched += len(got)
			}
		}
		check("after adding")
		for range 15 {
			v := videos[r.IntN(len(videos))]
			if x.Remove(v.ID) != e.Remove(v.ID) {
				t.Fatalf("Remove(%d) disagrees", v.ID)
			}
		}
		for range 10 {
			v := &videos[r.IntN(len(videos))]
			v.Frames = randomVideo(r, 1+r.IntN(20))
			x.Add(v.ID, v.Frames)
			e.Add(v.ID, v.Frames)
		}
		if x.Len() != e.Len() {
			t.Fatalf("Len %d, exhaustive %d", x.Len(), e.Len())
		}
		check("after removing and replacing")
	}
	t.Logf("%d matches compared", matched)
	if matched == 0 {
		t.Fatal("no query matched anything: the test proves nothing")
	}
}

func describe(ms []Match) string {
	s := ""
	for _, m := range ms {
		s += fmt.Sprintf("  %d: %.2f%% (%d/%d) %.2f%% (%d/%d) %v %v\n", m.ID, m.QueryPercent, m.QueryMatched, m.QueryFrames,
			m.ComparedPercent, m.ComparedMatched, m.ComparedFrames, m.QuerySegments, m.ComparedSegments)
	}
	return s
}

func TestIndexSearchCancelled(t *testing.T) {
	x, _ := NewIndex(DefaultMatch)
	r := rand.New(rand.NewPCG(7, 7))
	x.Add(1, randomVideo(r, 10))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x.Search(ctx, randomVideo(r, 100)); err != context.Canceled {
		t.Errorf("Search with a cancelled context: %v", err)
	}
}

func TestIndexBatchDuplicateIDs(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	a, b := randomVideo(r, 5), randomVideo(r, 5)
	x, _ := NewIndex(DefaultMatch)
	if err := x.AddBatch([]Video{{ID: 1, Frames: a}, {ID: 1, Frames: b}}); err != nil {
		t.Fatal(err)
	}
	if x.Len() != 1 {
		t.Fatalf("Len %d after adding one id twice", x.Len())
	}
	if got, _ := x.Search(context.Background(), a); len(got) != 0 {
		t.Errorf("the replaced frames still match: %v", describe(got))
	}
	if got, _ := x.Search(context.Background(), b); len(got) != 1 {
		t.Errorf("the later frames do not match: %v", describe(got))
	}
}

// TestSearchEachEqualsCompare checks the per-video distance against
// Compare with each video's own distance, under both rules.
func TestSearchEachEqualsCompare(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for _, rule := range []Rule{RuleUnique, RuleEveryFrame} {
		opt := DefaultMatch
		opt.Rule = rule
		x, err := NewIndex(opt)
		if err != nil {
			t.Fatal(err)
		}
		videos := map[uint64][]Frame{}
		for id := uint64(1); id <= 40; id++ {
			videos[id] = randomVideo(r, 5+r.IntN(30))
		}
		for id := uint64(41); id <= 60; id++ {
			videos[id] = nearCopy(r, videos[id-40], 40)
		}
		for id, v := range videos {
			if err := x.Add(id, v); err != nil {
				t.Fatal(err)
			}
		}
		distance := func(id uint64) int { return []int{-1, 0, 10, 20, 31, 40}[id%6] }
		for qi := range 20 {
			query := nearCopy(r, videos[uint64(1+qi)], 45)
			got, err := x.SearchEach(context.Background(), query, 40, distance)
			if err != nil {
				t.Fatal(err)
			}
			var want []Match
			for id, v := range videos {
				d := distance(id)
				if d < 0 {
					continue
				}
				o := opt
				o.Distance = d
				c, err := Compare(query, v, o)
				if err != nil {
					t.Fatal(err)
				}
				if c.QueryMatched > 0 {
					want = append(want, Match{ID: id, Comparison: c})
				}
			}
			sortMatches(want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%v query %d:\n got %s\nwant %s", rule, qi, describe(got), describe(want))
			}
		}
	}
}
