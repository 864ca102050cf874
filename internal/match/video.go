package match

import (
	"context"
	"fmt"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/vpdq"
)

// VideoOptions are the vPDQ comparison's parameters for every bank: the
// unique-hash rule HMA and python-threatexchange use, frames under quality
// 50 left out on both sides. The frame distance is each bank's
// VPDQThreshold (Distance here is its default), and the percentages a
// video must reach are the query's (Query.MinQueryPercent and
// MinComparedPercent).
var VideoOptions = vpdq.DefaultMatch

// MaxVPDQThreshold bounds a bank's vPDQ frame distance (the store refuses
// larger ones).
const MaxVPDQThreshold = bank.MaxVPDQThreshold

func newVideoIndex() *vpdq.Index {
	x, err := vpdq.NewIndex(VideoOptions)
	if err != nil {
		panic(err) // VideoOptions are valid
	}
	return x
}

// queryFrames returns a vPDQ query's frames.
func queryFrames(q Query) ([]vpdq.Frame, error) {
	if q.Frames != nil {
		return q.Frames, nil
	}
	frames, err := vpdq.ParseSignal(q.Signal.Value)
	if err != nil {
		return nil, fmt.Errorf("match: vpdq query: %w", err)
	}
	return frames, nil
}

// lookupVideo finds the bank videos that share matching frames with the
// query: candidates come from the frame index, and each one's
// percentages and segments are those of vpdq.Compare with its bank's
// frame distance.
func (x *Index) lookupVideo(ctx context.Context, q Query) ([]Hit, error) {
	frames, err := queryFrames(q)
	if err != nil {
		return nil, err
	}
	radius := -1
	for _, b := range x.banks {
		if q.Allowed == nil || q.Allowed(b) {
			radius = max(radius, b.VPDQThreshold)
		}
	}
	if radius < 0 {
		return nil, nil
	}
	found, err := x.videos.SearchEach(ctx, frames, radius, func(id uint64) int {
		bankID, _ := unpackID(id)
		b := x.banks[bankID]
		if b == nil || (q.Allowed != nil && !q.Allowed(b)) {
			return -1
		}
		return b.VPDQThreshold
	})
	if err != nil {
		return nil, err
	}
	var hits []Hit
	for _, m := range found {
		if m.QueryPercent < q.MinQueryPercent || m.ComparedPercent < q.MinComparedPercent {
			continue
		}
		bankID, entryID := unpackID(m.ID)
		b := x.banks[bankID]
		c := m.Comparison
		hits = append(hits, Hit{BankID: bankID, BankName: b.Name, Negative: b.Kind == bank.Negative,
			EntryID: entryID, Video: &c})
	}
	return hits, nil
}

// VideoQuery returns the query for a hashed video: its frames as a vPDQ
// signal (canonical text) and the frames themselves, so that the index
// need not parse them again.
func VideoQuery(frames []vpdq.Frame) Query {
	return Query{Signal: signal.Signal{Kind: signal.VPDQ, Value: vpdq.FormatSignal(frames)}, Frames: frames}
}
