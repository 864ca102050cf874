package triage

import (
	"sort"
	"time"

	"github.com/havenproject/haven/hamming"
)

// SessionWindow is how far apart two photos from one camera may be taken to
// belong to one capture session.
const SessionWindow = 3 * time.Hour

// MaxFilesListed is how many paths of one media are loaded with it (Media.Files);
// NFiles counts them all, and results.json's files list names every one.
const MaxFilesListed = 1000

// Media is one distinct content (one SHA-256) and the files that hold it.
type Media struct {
	SHA256  string   `json:"sha256"`
	Verdict Verdict  `json:"verdict"`
	Files   []string `json:"files"`      // provenance paths, sorted (at most MaxFilesListed)
	NFiles  int      `json:"file_count"` // every file holding it
	File    *File    `json:"-"`          // the first file, for its facts
	// SeenIn lists the other cases and seizures that held the same content.
	SeenIn []string `json:"seen_in,omitempty"`
}

// GroupKind says why media are grouped.
type GroupKind string

// The kinds of group.
const (
	Single  GroupKind = "single"  // one media (its exact duplicates stacked)
	Cluster GroupKind = "cluster" // near-duplicates (PDQ within the radius, or matching vPDQ)
	Series  GroupKind = "series"  // new material sharing a camera, a session or a look
)

// Group is a unit of review: media that belong together, with a score.
type Group struct {
	ID      int       `json:"id"`
	Kind    GroupKind `json:"kind"`
	Media   []*Media  `json:"media"`
	Score   float64   `json:"score"`
	Reasons []string  `json:"reasons"`
	Cameras []string  `json:"cameras,omitempty"`
}

// unionFind joins media indexes into groups.
type unionFind []int32

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = int32(i)
	}
	return u
}

func (u unionFind) find(i int32) int32 {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(a, b int32) { u[u.find(a)] = u.find(b) }

const (
	markNear   = 1 << iota // a near-duplicate of another media
	markSeries             // joined by camera or session
)

// group links media that are near-duplicates (any verdict: PDQ within
// radius through a Hamming index, one range search per media; videos whose
// vPDQ match), and new media that share a camera serial or a capture
// session. It returns each media's group root (by index) and the kinds of
// the groups that are not single.
func group(fs []facts, videos map[int][]string, radius int) (map[int32]GroupKind, []int32) {
	u := newUnionFind(len(fs))
	marks := make([]uint8, len(fs))
	idx := hamming.New()
	for i, x := range fs {
		if x.hasPDQ {
			idx.Add(uint64(i), x.pdq)
		}
	}
	var buf []hamming.Match
	for i, x := range fs {
		if !x.hasPDQ {
			continue
		}
		buf = idx.Search(x.pdq, radius, buf[:0])
		for _, m := range buf {
			if j := int32(m.ID); j != int32(i) {
				u.union(int32(i), j)
				marks[i] |= markNear
				marks[j] |= markNear
			}
		}
	}
	linkVideos(videos, u, marks)
	linkCameras(fs, u, marks)
	kinds := map[int32]GroupKind{}
	news := map[int32]int{}
	for i, x := range fs {
		r := u.find(int32(i))
		switch {
		case marks[i]&markSeries != 0:
			kinds[r] = Series
		case marks[i]&markNear != 0 && kinds[r] == "":
			kinds[r] = Cluster
		}
		if x.verdict == New && marks[i]&markNear != 0 {
			news[r]++
		}
	}
	for r, k := range kinds {
		if k == Cluster && news[r] >= 2 {
			kinds[r] = Series // new material that looks alike: one series candidate
		}
	}
	roots := make([]int32, len(fs))
	for i := range fs {
		roots[i] = u.find(int32(i))
	}
	return kinds, roots
}

// linkCameras joins new media from one camera body (make, model and serial),
// and new media from one make and model taken within SessionWindow.
func linkCameras(fs []facts, u unionFind, marks []uint8) {
	bySerial := map[int32]int32{}
	type shot struct {
		i int32
		t int64
	}
	byModel := map[int32][]shot{}
	for i, x := range fs {
		if x.verdict != New || x.model < 0 {
			continue
		}
		if x.camera >= 0 {
			if j, ok := bySerial[x.camera]; ok {
				u.union(int32(i), j)
				marks[i] |= markSeries
				marks[j] |= markSeries
			} else {
				bySerial[x.camera] = int32(i)
			}
		}
		if x.hasTime {
			byModel[x.model] = append(byModel[x.model], shot{int32(i), x.taken})
		}
	}
	window := int64(SessionWindow / time.Second)
	for _, shots := range byModel {
		sort.Slice(shots, func(a, b int) bool { return shots[a].t < shots[b].t })
		for k := 1; k < len(shots); k++ {
			if shots[k].t-shots[k-1].t <= window {
				u.union(shots[k].i, shots[k-1].i)
				marks[shots[k].i] |= markSeries
				marks[shots[k-1].i] |= markSeries
			}
		}
	}
}

func cameras(g *Group) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range g.Media {
		if c := m.File.EXIF.Camera(); c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
