package vpdq

import "math"

// Segment is a run of matching frames in one video.
type Segment struct {
	// Start and End are the timestamps of the run's first and last
	// matching frame, in seconds (to the millisecond).
	Start, End float64
	// First and Last are their frame numbers.
	First, Last int
	// Frames is the number of matching frames in the run.
	Frames int
}

// stamp is a frame's place in its video, kept compactly by indexes.
type stamp struct {
	number int32
	time   float32 // the reference's timestamps are float32 values
}

func stampsOf(frames []Frame) []stamp {
	s := make([]stamp, len(frames))
	for i, f := range frames {
		s[i] = stamp{number: int32(f.Number), time: float32(f.Timestamp)}
	}
	return s
}

// segments returns the runs of matching frames: frame f matches when its
// hash takes part (key[f] ≥ 0) and matched. A frame that takes no part
// (under the quality filter) neither ends a run nor joins it, so a brief
// fade inside a matching scene does not split the scene; a compared frame
// that does not match ends the run.
func segments(stamps []stamp, key []int32, matched []bool) []Segment {
	var out []Segment
	open := false
	for f, k := range key {
		if k < 0 {
			continue
		}
		if !matched[k] {
			open = false
			continue
		}
		st := stamps[f]
		t := math.Round(float64(st.time)*1000) / 1000
		if !open {
			out = append(out, Segment{Start: t, First: int(st.number)})
			open = true
		}
		s := &out[len(out)-1]
		s.End, s.Last = t, int(st.number)
		s.Frames++
	}
	return out
}
