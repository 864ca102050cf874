package triage

import (
	"sync/atomic"
	"time"
)

// Stage names a part of the pipeline whose time is counted.
type Stage int

// The stages. Per-file stages (read to thumb) run on every worker at once:
// their times are summed over workers (worker time, which on an otherwise
// idle machine is CPU time). The others run once, and their time is wall
// time.
const (
	StageRead    Stage = iota // reading bytes (disk, archive members)
	StageDecode               // sniffing and decoding images, EXIF; running ffmpeg for videos
	StageHash                 // MD5, SHA-1, SHA-256, PDQ with its dihedral variants
	StageMatch                // bank and hash-list look-ups
	StageThumb                // thumbnails and video stills
	StageJournal              // appending records to the journal (the writer goroutine)
	StageSpill                // copying the journal into the scratch store
	StageLink                 // recording the seizure and looking up other cases
	StageGroup                // stacking, clustering, series, scoring, ranking
	StageReport               // writing the reports (timed by the caller)
	numStages
)

var stageNames = [numStages]string{"read", "decode", "hash", "match", "thumb", "journal", "spill", "link", "group", "report"}

func (s Stage) String() string { return stageNames[s] }

// Stages counts the time spent in each stage; safe for concurrent use. A
// nil *Stages counts nothing.
type Stages struct {
	ns [numStages]atomic.Int64
}

// add counts the time since t in stage s.
func (st *Stages) add(s Stage, t time.Time) {
	if st != nil {
		st.ns[s].Add(int64(time.Since(t)))
	}
}

// Add counts d in stage s (for the caller's own stages, like the report).
func (st *Stages) Add(s Stage, d time.Duration) {
	if st != nil {
		st.ns[s].Add(int64(d))
	}
}

// Get returns the time counted in stage s.
func (st *Stages) Get(s Stage) time.Duration {
	if st == nil {
		return 0
	}
	return time.Duration(st.ns[s].Load())
}

// AllStages lists the stages in pipeline order.
func AllStages() []Stage {
	out := make([]Stage, numStages)
	for i := range out {
		out[i] = Stage(i)
	}
	return out
}
