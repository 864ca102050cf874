package vpdq

import (
	"fmt"

	"github.com/havenproject/haven/pdq"
)

// Rule selects one of the two definitions of vPDQ matching in Meta's code.
// They differ in duplicate frames and in the distance bound.
type Rule uint8

const (
	// RuleUnique is vPDQ's published comparison (ThreatExchange vpdq/README
	// and python-threatexchange's brute matcher, which HMA uses): frames
	// with identical hashes count once, keeping the first; then frames
	// under the quality filter are dropped on both sides; two frames match
	// at distance ≤ Distance; percentages are of the remaining unique
	// hashes.
	RuleUnique Rule = iota
	// RuleEveryFrame is vpdq/cpp's match-hashes-brute: every frame counts,
	// duplicates included; frames under the quality filter are dropped on
	// both sides; two frames match at distance strictly less than
	// Distance; percentages are of the remaining frames.
	RuleEveryFrame
)

func (r Rule) String() string {
	switch r {
	case RuleUnique:
		return "unique"
	case RuleEveryFrame:
		return "every-frame"
	}
	return fmt.Sprintf("Rule(%d)", uint8(r))
}

// MatchOptions are the comparison's parameters. Zero is a valid value for
// each (distance 0 means identical frames only, quality 0 no filter), so
// start from DefaultMatch.
type MatchOptions struct {
	Rule Rule
	// Distance is D, the frame match distance (see Rule for ≤ or <).
	Distance int
	// Quality is F: frames of lower quality are not compared, on either
	// side.
	Quality int
	// MinQueryPercent (Pq) and MinComparedPercent (Pc) are the thresholds
	// a search result must meet: the share of the query's frames that
	// match some frame of the compared video, and the share of the
	// compared video's frames that match some query frame. A search
	// reports a video only if at least one frame matched and both shares
	// reach their thresholds. vPDQ's description suggests Pc = 80, Pq = 0
	// for finding known videos inside uploads; HMA uses the reverse.
	MinQueryPercent, MinComparedPercent float64
}

// DefaultMatch is PDQ's usual frame distance, 31, and quality filter, 50,
// under RuleUnique, reporting every video with a matching frame.
var DefaultMatch = MatchOptions{Rule: RuleUnique, Distance: pdq.DefaultMatchThreshold, Quality: pdq.QualityThreshold}

func (o MatchOptions) validate() error {
	switch {
	case o.Rule > RuleEveryFrame:
		return fmt.Errorf("vpdq: unknown match rule %d", o.Rule)
	case o.Distance < 0 || o.Distance > 256:
		return fmt.Errorf("vpdq: match distance %d outside 0..256", o.Distance)
	case o.Quality < 0 || o.Quality > 101:
		return fmt.Errorf("vpdq: quality filter %d outside 0..101", o.Quality)
	case !(o.MinQueryPercent >= 0 && o.MinQueryPercent <= 100),
		!(o.MinComparedPercent >= 0 && o.MinComparedPercent <= 100):
		return fmt.Errorf("vpdq: match percentages %g, %g outside 0..100", o.MinQueryPercent, o.MinComparedPercent)
	}
	return nil
}

// radius is the largest distance at which two frames match.
func (o MatchOptions) radius() int {
	if o.Rule == RuleEveryFrame {
		return o.Distance - 1
	}
	return o.Distance
}

// Comparison is the result of comparing a query video with another.
type Comparison struct {
	// QueryPercent is Pq: matched query frames × 100 / QueryFrames.
	QueryPercent float64
	// ComparedPercent is Pc: matched compared frames × 100 / ComparedFrames.
	ComparedPercent float64
	// The counts behind the percentages: frames (or unique hashes, under
	// RuleUnique) that passed the quality filter, and how many matched.
	QueryMatched, QueryFrames       int
	ComparedMatched, ComparedFrames int
	// QuerySegments and ComparedSegments are the runs of matching frames
	// in each video, in frame order.
	QuerySegments, ComparedSegments []Segment
}

// Compare compares two videos' frame hashes as the reference does, by
// brute force: each frame of either side that passed the quality filter
// is sought among the other side's. When no frame of one side passes the
// filter both percentages are 0.
func Compare(query, compared []Frame, opt MatchOptions) (Comparison, error) {
	if err := opt.validate(); err != nil {
		return Comparison{}, err
	}
	q, c := prepare(query, opt), prepare(compared, opt)
	qm, cm := make([]bool, len(q.hashes)), make([]bool, len(c.hashes))
	bruteMark(q.hashes, c.hashes, opt.radius(), qm, cm)
	r := comparison(&q, &c, qm, cm)
	r.QuerySegments = segments(stampsOf(query), q.key, qm)
	r.ComparedSegments = segments(stampsOf(compared), c.key, cm)
	return r, nil
}

// bruteMark sets qm[i] and cm[j] for every pair within radius.
func bruteMark(q, c []pdq.Hash, radius int, qm, cm []bool) {
	for i := range q {
		for j := range c {
			if pdq.Distance(q[i], c[j]) <= radius {
				qm[i], cm[j] = true, true
			}
		}
	}
}

func comparison(q, c *prepared, qm, cm []bool) Comparison {
	r := Comparison{QueryFrames: q.total, ComparedFrames: c.total}
	r.QueryMatched = q.count(qm)
	r.ComparedMatched = c.count(cm)
	if r.QueryFrames > 0 && r.ComparedFrames > 0 {
		r.QueryPercent = float64(r.QueryMatched) * 100 / float64(r.QueryFrames)
		r.ComparedPercent = float64(r.ComparedMatched) * 100 / float64(r.ComparedFrames)
	} else {
		r.QueryMatched, r.ComparedMatched = 0, 0
	}
	return r
}

// prepared is one side of a comparison: its distinct hashes that take
// part, each with the number of frames it stands for.
type prepared struct {
	hashes []pdq.Hash
	// weight[i] is how many frames hashes[i] counts for: 1 under
	// RuleUnique; its filtered frames under RuleEveryFrame. nil means all 1.
	weight []int32
	total  int // the percentage denominator: sum of weights
	// key[f] is the index in hashes of frame f's hash, or -1 when frame f
	// takes no part; used to report segments.
	key []int32
}

func (p *prepared) count(matched []bool) int {
	n := 0
	for i, m := range matched {
		if m {
			n += p.w(i)
		}
	}
	return n
}

func (p *prepared) w(i int) int {
	if p.weight == nil {
		return 1
	}
	return int(p.weight[i])
}

// prepare applies opt's rule to frames. Identical hashes always share an
// entry: under RuleEveryFrame they match alike, so comparing one suffices
// and its weight counts the rest.
func prepare(frames []Frame, opt MatchOptions) prepared {
	p := prepared{key: make([]int32, len(frames))}
	seen := make(map[pdq.Hash]int32, len(frames))
	for f, fr := range frames {
		i, dup := seen[fr.Hash]
		switch opt.Rule {
		case RuleUnique:
			// The first frame with a hash decides whether it takes part.
			if !dup {
				i = -1
				if fr.Quality >= opt.Quality {
					i = int32(len(p.hashes))
					p.hashes = append(p.hashes, fr.Hash)
					p.total++
				}
				seen[fr.Hash] = i
			}
		case RuleEveryFrame:
			if fr.Quality < opt.Quality {
				i = -1
				break
			}
			if !dup {
				i = int32(len(p.hashes))
				p.hashes = append(p.hashes, fr.Hash)
				p.weight = append(p.weight, 0)
				seen[fr.Hash] = i
			}
			p.weight[i]++
			p.total++
		}
		p.key[f] = i
	}
	return p
}
