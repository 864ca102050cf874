package triage

import (
	"sort"
	"time"

	"github.com/havenproject/haven/hamming"
	"github.com/havenproject/haven/pdq"
)

// SessionWindow is how far apart two photos from one camera may be taken to
// belong to one capture session.
const SessionWindow = 3 * time.Hour

// Media is one distinct content (one SHA-256) and every file that holds it.
type Media struct {
	SHA256  string   `json:"sha256"`
	Verdict Verdict  `json:"verdict"`
	Files   []string `json:"files"` // provenance paths, sorted
	File    *File    `json:"-"`     // the first file, for its facts
	// SeenIn lists the other cases and seizures that held the same content.
	SeenIn []string `json:"seen_in,omitempty"`
}

// GroupKind says why media are grouped.
type GroupKind string

// The kinds of group.
const (
	Single  GroupKind = "single"  // one media (its exact duplicates stacked)
	Cluster GroupKind = "cluster" // near-duplicates (PDQ within the radius)
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

// stack gathers the media files of a seizure by content.
func stack(files []*File) []*Media {
	by := map[string]*Media{}
	var out []*Media
	for _, f := range files {
		if !f.IsMedia() {
			continue
		}
		m := by[f.SHA256]
		if m == nil {
			m = &Media{SHA256: f.SHA256, Verdict: f.Verdict, File: f}
			by[f.SHA256] = m
			out = append(out, m)
		}
		m.Files = append(m.Files, f.Path)
	}
	for _, m := range out {
		sort.Strings(m.Files)
	}
	return out
}

// unionFind joins media indexes into groups.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(a, b int) { u[u.find(a)] = u.find(b) }

// group links media that are near-duplicates (any verdict), and new media
// that share a camera serial or a capture session; it returns the groups
// with their kinds, unscored.
func group(ms []*Media, radius int) []*Group {
	u := newUnionFind(len(ms))
	series := make([]bool, len(ms)) // joined by camera or session
	near := make([]bool, len(ms))
	idx := hamming.New()
	var hs []pdq.Hash
	for i, m := range ms {
		h, err := pdq.Parse(m.File.PDQ)
		hs = append(hs, h)
		if err == nil && m.File.PDQ != "" {
			idx.Add(uint64(i), h)
		}
	}
	var buf []hamming.Match
	for i, m := range ms {
		if m.File.PDQ == "" {
			continue
		}
		buf = idx.Search(hs[i], radius, buf[:0])
		for _, x := range buf {
			if j := int(x.ID); j != i {
				u.union(i, j)
				near[i], near[j] = true, true
			}
		}
	}
	linkCameras(ms, u, series)
	roots := map[int]*Group{}
	var out []*Group
	for i, m := range ms {
		r := u.find(i)
		g := roots[r]
		if g == nil {
			g = &Group{Kind: Single}
			roots[r] = g
			out = append(out, g)
		}
		g.Media = append(g.Media, m)
		switch {
		case series[i]:
			g.Kind = Series
		case near[i] && g.Kind == Single:
			g.Kind = Cluster
		}
	}
	for _, g := range out {
		if g.Kind == Cluster && countVerdict(g, New) >= 2 {
			g.Kind = Series // new material that looks alike: one series candidate
		}
		g.Cameras = cameras(g)
	}
	return out
}

// linkCameras joins new media from one camera body (make, model and serial),
// and new media from one make and model taken within SessionWindow.
func linkCameras(ms []*Media, u unionFind, series []bool) {
	bySerial := map[string]int{}
	type shot struct {
		i int
		t time.Time
	}
	byModel := map[string][]shot{}
	for i, m := range ms {
		e := m.File.EXIF
		if m.Verdict != New || e.Camera() == "" {
			continue
		}
		if e.Serial != "" {
			if j, ok := bySerial[e.Camera()]; ok {
				u.union(i, j)
				series[i], series[j] = true, true
			} else {
				bySerial[e.Camera()] = i
			}
		}
		if e.Taken != nil {
			k := e.Make + "\x00" + e.Model
			byModel[k] = append(byModel[k], shot{i, *e.Taken})
		}
	}
	for _, shots := range byModel {
		sort.Slice(shots, func(a, b int) bool { return shots[a].t.Before(shots[b].t) })
		for k := 1; k < len(shots); k++ {
			if shots[k].t.Sub(shots[k-1].t) <= SessionWindow {
				u.union(shots[k].i, shots[k-1].i)
				series[shots[k].i], series[shots[k-1].i] = true, true
			}
		}
	}
}

func countVerdict(g *Group, v Verdict) int {
	n := 0
	for _, m := range g.Media {
		if m.Verdict == v {
			n++
		}
	}
	return n
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
