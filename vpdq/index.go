package vpdq

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/havenproject/haven/hamming"
)

// Video is a video's frame hashes under the caller's id, for AddBatch.
type Video struct {
	ID     uint64
	Frames []Frame
}

// Match is a video that matched a query.
type Match struct {
	ID uint64
	Comparison
}

// Frame hashes live in the hamming index under id slot<<slotShift | j,
// where slot numbers the video and j its distinct hash.
const (
	slotShift = 24
	maxHashes = 1 << slotShift // distinct frame hashes per video
	maxSlots  = 1 << (64 - slotShift)
)

// Index answers "which indexed videos match this query video?" with
// exactly the result of comparing the query with every indexed video
// (Exhaustive), but finds candidates by looking up each distinct query
// frame in an exact Hamming-range index of all indexed frames, so a
// search costs about the number of matching frames rather than the
// number of videos.
//
// Concurrency: Search and Len may run concurrently with each other;
// Add, AddBatch and Remove wait for running searches and block new ones
// while they update.
type Index struct {
	opt   MatchOptions
	mu    sync.RWMutex
	fx    *hamming.Index
	byID  map[uint64]uint64 // video id → slot
	slots []*indexed        // by slot; nil when free
	free  []uint64
}

// indexed is a video as the index keeps it: its prepared form without the
// hashes, which the hamming index holds.
type indexed struct {
	id     uint64
	n      int     // distinct hashes taking part
	weight []int32 // nil when all 1
	total  int
	key    []int32
	stamps []stamp
}

// NewIndex returns an empty index that matches under opt.
func NewIndex(opt MatchOptions) (*Index, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	tune := max(opt.radius(), 1)
	return &Index{
		opt:  opt,
		fx:   hamming.NewWithOptions(hamming.Options{TuneRadius: tune}),
		byID: make(map[uint64]uint64),
	}, nil
}

// Options returns the index's match options.
func (x *Index) Options() MatchOptions { return x.opt }

// Len returns the number of videos indexed.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byID)
}

// Add indexes the frames of video id, replacing any earlier frames of id.
// Frames under the quality filter are kept (for segments) but not
// searched. The caller may reuse frames afterwards.
func (x *Index) Add(id uint64, frames []Frame) error {
	return x.AddBatch([]Video{{ID: id, Frames: frames}})
}

// AddBatch is Add for many videos, building the frame index in one go: the
// way to load a bank. A later entry for the same id wins. On error nothing
// is added.
func (x *Index) AddBatch(videos []Video) error {
	last := make(map[uint64]int, len(videos))
	for i, v := range videos {
		last[v.ID] = i
	}
	preps := make([]prepared, len(videos))
	for i, v := range videos {
		if last[v.ID] != i {
			continue // a later entry replaces it
		}
		preps[i] = prepare(v.Frames, x.opt)
		if len(preps[i].hashes) > maxHashes {
			return fmt.Errorf("vpdq: video %d has %d distinct frame hashes, more than %d", v.ID, len(preps[i].hashes), maxHashes)
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if need := len(x.slots) - len(x.free) + len(videos); need > maxSlots {
		return fmt.Errorf("vpdq: index full (%d videos)", len(x.byID))
	}
	var entries []hamming.Entry
	for i, v := range videos {
		if last[v.ID] != i {
			continue
		}
		x.removeLocked(v.ID)
		slot := x.allocLocked()
		p := &preps[i]
		x.slots[slot] = &indexed{id: v.ID, n: len(p.hashes), weight: p.weight, total: p.total,
			key: p.key, stamps: stampsOf(v.Frames)}
		x.byID[v.ID] = slot
		for j, h := range p.hashes {
			entries = append(entries, hamming.Entry{ID: slot<<slotShift | uint64(j), Hash: hamming.Hash(h)})
		}
	}
	x.fx.AddBatch(entries)
	return nil
}

func (x *Index) allocLocked() uint64 {
	if n := len(x.free); n > 0 {
		s := x.free[n-1]
		x.free = x.free[:n-1]
		return s
	}
	x.slots = append(x.slots, nil)
	return uint64(len(x.slots) - 1)
}

// Remove deletes video id and reports whether it was indexed.
func (x *Index) Remove(id uint64) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.removeLocked(id)
}

func (x *Index) removeLocked(id uint64) bool {
	slot, ok := x.byID[id]
	if !ok {
		return false
	}
	for j := range x.slots[slot].n {
		x.fx.Remove(slot<<slotShift | uint64(j))
	}
	x.slots[slot] = nil
	x.free = append(x.free, slot)
	delete(x.byID, id)
	return true
}

// hit is a pair of frames within the search radius: distinct query hash
// i and distinct hash j of the video in slot, d bits apart.
type hit struct {
	slot uint64
	i, j int32
	d    int32
}

// Search returns the indexed videos that match query under the index's
// options, best first (see sortMatches). It returns ctx's error if ctx
// ends first.
func (x *Index) Search(ctx context.Context, query []Frame) ([]Match, error) {
	r := x.opt.radius()
	return x.search(ctx, query, r, func(uint64) int { return r })
}

// SearchEach is Search with a frame match distance per video, for callers
// that keep videos of several lists with different thresholds in one
// index: distance(id) is D for video id (≤ or < as the index's rule says),
// or negative to leave the video out. maxDistance bounds every distance
// the function returns; the search costs what a search at maxDistance
// costs. The rule, quality filter and percentage thresholds are the
// index's. The result equals Compare of the query with each video under
// the index's options with Distance set to distance(id).
func (x *Index) SearchEach(ctx context.Context, query []Frame, maxDistance int, distance func(id uint64) int) ([]Match, error) {
	if maxDistance < 0 || maxDistance > 256 {
		return nil, fmt.Errorf("vpdq: match distance %d outside 0..256", maxDistance)
	}
	opt := x.opt
	opt.Distance = maxDistance
	return x.search(ctx, query, opt.radius(), func(id uint64) int {
		d := distance(id)
		if d < 0 {
			return -1
		}
		o := x.opt
		o.Distance = min(d, maxDistance)
		return o.radius()
	})
}

// search looks up each distinct query hash at radius and keeps, for each
// video, the pairs within radiusOf(video id).
func (x *Index) search(ctx context.Context, query []Frame, radius int, radiusOf func(id uint64) int) ([]Match, error) {
	q := prepare(query, x.opt)
	x.mu.RLock()
	defer x.mu.RUnlock()
	var hits []hit
	var buf []hamming.Match
	if radius >= 0 {
		for i, h := range q.hashes {
			if i%64 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			buf = x.fx.Search(hamming.Hash(h), radius, buf[:0])
			for _, m := range buf {
				hits = append(hits, hit{slot: m.ID >> slotShift, i: int32(i), j: int32(m.ID & (maxHashes - 1)), d: int32(m.Distance)})
			}
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(a.slot, b.slot) })
	qm := make([]bool, len(q.hashes))
	var out []Match
	for start := 0; start < len(hits); {
		end := start + 1
		for end < len(hits) && hits[end].slot == hits[start].slot {
			end++
		}
		v := x.slots[hits[start].slot]
		r := radiusOf(v.id)
		cm := make([]bool, v.n)
		for _, h := range hits[start:end] {
			if int(h.d) <= r {
				qm[h.i], cm[h.j] = true, true
			}
		}
		c := prepared{weight: v.weight, total: v.total, key: v.key}
		if m, ok := x.opt.result(v.id, &q, &c, qm, cm, query, v.stamps); ok {
			out = append(out, m)
		}
		clear(qm)
		start = end
	}
	sortMatches(out)
	return out, nil
}

// result turns marked frames into a Match when it meets the thresholds.
func (o MatchOptions) result(id uint64, q, c *prepared, qm, cm []bool, query []Frame, cstamps []stamp) (Match, bool) {
	r := comparison(q, c, qm, cm)
	if r.QueryMatched == 0 || r.QueryPercent < o.MinQueryPercent || r.ComparedPercent < o.MinComparedPercent {
		return Match{}, false
	}
	r.QuerySegments = segments(stampsOf(query), q.key, qm)
	r.ComparedSegments = segments(cstamps, c.key, cm)
	return Match{ID: id, Comparison: r}, true
}

// sortMatches orders by compared share, then query share, both
// descending, then id: the most completely matched known videos first.
func sortMatches(ms []Match) {
	slices.SortFunc(ms, func(a, b Match) int {
		if c := cmp.Compare(b.ComparedPercent, a.ComparedPercent); c != 0 {
			return c
		}
		if c := cmp.Compare(b.QueryPercent, a.QueryPercent); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
