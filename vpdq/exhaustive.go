package vpdq

import (
	"context"
)

// Exhaustive is the brute-force counterpart of Index with the same
// contract: it compares a query with every video it holds, as the
// reference's matchers do. Tests use it as the oracle and benchmarks as
// the yardstick. It is not safe for concurrent use with Add or Remove.
type Exhaustive struct {
	opt    MatchOptions
	videos map[uint64]*exVideo
}

type exVideo struct {
	p      prepared
	stamps []stamp
}

// NewExhaustive returns an empty brute-force matcher.
func NewExhaustive(opt MatchOptions) (*Exhaustive, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	return &Exhaustive{opt: opt, videos: make(map[uint64]*exVideo)}, nil
}

// Len returns the number of videos held.
func (e *Exhaustive) Len() int { return len(e.videos) }

// Add holds the frames of video id, replacing any earlier ones.
func (e *Exhaustive) Add(id uint64, frames []Frame) error {
	e.videos[id] = &exVideo{p: prepare(frames, e.opt), stamps: stampsOf(frames)}
	return nil
}

// AddBatch is Add for each video in turn.
func (e *Exhaustive) AddBatch(videos []Video) error {
	for _, v := range videos {
		if err := e.Add(v.ID, v.Frames); err != nil {
			return err
		}
	}
	return nil
}

// Remove deletes video id and reports whether it was held.
func (e *Exhaustive) Remove(id uint64) bool {
	_, ok := e.videos[id]
	delete(e.videos, id)
	return ok
}

// Search compares query with every video held and returns those that
// match, ordered as Index.Search orders them.
func (e *Exhaustive) Search(ctx context.Context, query []Frame) ([]Match, error) {
	q := prepare(query, e.opt)
	radius := e.opt.radius()
	qm := make([]bool, len(q.hashes))
	var out []Match
	n := 0
	for id, v := range e.videos {
		if n++; n%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		cm := make([]bool, len(v.p.hashes))
		bruteMark(q.hashes, v.p.hashes, radius, qm, cm)
		if m, ok := e.opt.result(id, &q, &v.p, qm, cm, query, v.stamps); ok {
			out = append(out, m)
		}
		clear(qm)
	}
	sortMatches(out)
	return out, nil
}
