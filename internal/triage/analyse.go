package triage

import (
	"sort"
	"time"
)

// analyse stacks, groups, scores and orders the files of res.
func analyse(res *Result, opt Options, seen *Sightings) {
	res.Counts = map[Verdict]int{}
	for _, f := range res.Files {
		res.Counts[f.Verdict]++
	}
	ms := stack(res.Files)
	knownCams := map[string]string{}
	if seen != nil {
		for _, m := range ms {
			m.SeenIn = seen.Media[m.SHA256]
			if c := m.File.EXIF.Camera(); c != "" && m.Verdict == New {
				for _, where := range seen.Cameras[c] {
					m.SeenIn = appendNew(m.SeenIn, where+" (same camera)")
				}
			}
		}
		for c, s := range seen.KnownCams {
			knownCams[c] = s
		}
	}
	for _, m := range ms {
		if c := m.File.EXIF.Camera(); c != "" && m.Verdict == Known && !identified(m.File.Matches) {
			knownCams[c] = seriesName(m.File.Matches)
		}
	}
	res.Groups = group(ms, opt.NearRadius)
	now := opt.Now()
	for _, g := range res.Groups {
		score(g, now, knownCams)
		sortMedia(g.Media)
	}
	sort.SliceStable(res.Groups, func(i, j int) bool {
		a, b := res.Groups[i], res.Groups[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Media[0].Files[0] < b.Media[0].Files[0]
	})
	for i, g := range res.Groups {
		g.ID = i + 1
		for _, m := range g.Media {
			res.ReviewOrder = append(res.ReviewOrder, m.Files...)
		}
	}
	if len(res.Groups) > 0 {
		res.Score, res.Reasons = res.Groups[0].Score, res.Groups[0].Reasons
	}
}

// sortMedia puts new media first, then by capture time, then by path.
func sortMedia(ms []*Media) {
	rank := map[Verdict]int{New: 0, NearKnown: 1, Known: 2, BenignKnown: 3}
	taken := func(m *Media) time.Time {
		if e := m.File.EXIF; e != nil && e.Taken != nil {
			return *e.Taken
		}
		return time.Time{}
	}
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if rank[a.Verdict] != rank[b.Verdict] {
			return rank[a.Verdict] < rank[b.Verdict]
		}
		if ta, tb := taken(a), taken(b); !ta.Equal(tb) {
			return ta.Before(tb)
		}
		return a.Files[0] < b.Files[0]
	})
}

func seriesName(hits []Hit) string {
	for _, h := range hits {
		if h.Series != "" && !h.Negative {
			return h.Series
		}
	}
	return "(unnamed)"
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
