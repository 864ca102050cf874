package vpdq

import (
	"github.com/havenproject/haven/pdq"
)

// Frame is the hash of one sampled video frame: one line of the reference's
// hash file.
type Frame struct {
	// Number is the frame's position in decode order, from 0, counting
	// every decoded frame (not only the sampled ones).
	Number int
	// Hash is the PDQ hash of the whole frame.
	Hash pdq.Hash
	// Quality is PDQ's quality, 0..100; under 50 the hash is unreliable and
	// matching ignores it by default.
	Quality int
	// Timestamp is Number divided by the frame rate, in seconds, computed
	// in single precision as the reference does (not the frame's
	// presentation time).
	Timestamp float64
}

// frameTimestamp is the reference's timestamp: float(frame) / float(fps).
func frameTimestamp(number int, fps float64) float64 {
	return float64(float32(number) / float32(fps))
}

// Prune drops each frame whose hash is within distance d of the last frame
// kept, keeping the first: the optional pruning that vPDQ's description
// suggests for still or slowly changing scenes, which shrinks hash lists.
// Matching percentages change after pruning (fewer frames), so prune both
// sides alike or not at all. A negative d keeps every frame. The input is
// not modified.
func Prune(frames []Frame, d int) []Frame {
	if d < 0 || len(frames) == 0 {
		return append([]Frame(nil), frames...)
	}
	out := []Frame{frames[0]}
	last := frames[0].Hash
	for _, f := range frames[1:] {
		if pdq.Distance(f.Hash, last) <= d {
			continue
		}
		out = append(out, f)
		last = f.Hash
	}
	return out
}
