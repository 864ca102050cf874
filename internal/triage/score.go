package triage

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Weight is one scoring rule: how much it adds to a group's score and the
// plain words that explain it. docs/triage.md reproduces this table; change
// both together.
type Weight struct {
	Name   string
	Points float64
	Doc    string
}

// Weights are every rule of the priority score, in one place. A group's
// score is the sum of the rules that apply to it; the seizure's is its best
// group's. The aim: new material most likely to show a child being abused
// now ranks first; known material with identified victims ranks last.
var Weights = struct {
	NewMedia, NewMediaCap, CameraOriginal, CameraSerial, Series, Session, Recent, GPS,
	KnownUnidentifiedCamera, NeverSeen, SeenElsewhere, NearKnown, KnownUnidentified,
	KnownIdentified, Benign Weight
}{
	NewMedia:                Weight{"new_media", 10, "per new media item (up to new_media_cap items)"},
	NewMediaCap:             Weight{"new_media_cap", 20, "most new items counted by new_media"},
	CameraOriginal:          Weight{"camera_original", 15, "new media carry camera EXIF (make/model and capture time): likely originals, not re-shared copies"},
	CameraSerial:            Weight{"camera_serial", 10, "the camera's body serial is known: the camera can be traced"},
	Series:                  Weight{"series", 25, "two or more new items from one camera, session or look: a series nobody has catalogued"},
	Session:                 Weight{"session", 10, "taken within one capture session (hours apart)"},
	Recent:                  Weight{"recent", 15, "captured within the last two years: the abuse may be ongoing"},
	GPS:                     Weight{"gps", 5, "carries a GPS position"},
	KnownUnidentifiedCamera: Weight{"known_unidentified_camera", 40, "same camera as known material whose victim is not identified"},
	NeverSeen:               Weight{"never_seen", 10, "new material seen in no other case"},
	SeenElsewhere:           Weight{"seen_elsewhere", 5, "also seen in other cases: links investigations"},
	NearKnown:               Weight{"near_known", 5, "a variant of known material (perceptual match only)"},
	KnownUnidentified:       Weight{"known_unidentified", 3, "known material whose victim is not identified"},
	KnownIdentified:         Weight{"known_identified", -50, "known material whose victim is identified: reviewed last"},
	Benign:                  Weight{"benign", -100, "known-benign material (negative bank)"},
}

// RecentWindow is how old a capture may be to count as recent.
const RecentWindow = 2 * 365 * 24 * time.Hour

// scorer adds up the rules for a group, keeping the reasons.
type scorer struct {
	g *Group
}

func (s *scorer) add(w Weight, reason string, args ...any) {
	s.g.Score += w.Points
	s.g.Reasons = append(s.g.Reasons, fmt.Sprintf(reason, args...))
}

// score scores one group. knownCams are cameras of known media with an
// unidentified victim, in this seizure or recorded from other cases.
func score(g *Group, now time.Time, knownCams map[string]string) {
	s := &scorer{g: g}
	var news []*Media
	var first, last time.Time
	cams, serials, gps := map[string]bool{}, map[string]bool{}, false
	seenIn := map[string]bool{}
	for _, m := range g.Media {
		for _, c := range m.SeenIn {
			seenIn[c] = true
		}
		if m.Verdict != New {
			continue
		}
		news = append(news, m)
		e := m.File.EXIF
		if e == nil {
			continue
		}
		if e.Camera() != "" && e.Taken != nil {
			cams[e.Camera()] = true
		}
		if e.Serial != "" {
			serials[e.Serial] = true
		}
		gps = gps || e.Latitude != nil
		if e.Taken != nil {
			if first.IsZero() || e.Taken.Before(first) {
				first = *e.Taken
			}
			if e.Taken.After(last) {
				last = *e.Taken
			}
		}
	}
	if n := len(news); n > 0 {
		c := min(float64(n), Weights.NewMediaCap.Points)
		s.g.Score += c * Weights.NewMedia.Points
		what := fmt.Sprintf("%d new %s", n, plural(n, "item", "items"))
		if len(cams) == 1 {
			what += " from one camera (" + keys(cams)[0] + ")"
		}
		s.g.Reasons = append(s.g.Reasons, what+", in no bank")
	}
	if len(cams) > 0 {
		s.add(Weights.CameraOriginal, "camera originals (EXIF make, model and capture time)")
	}
	if len(serials) > 0 {
		s.add(Weights.CameraSerial, "camera body serial %s", strings.Join(keys(serials), ", "))
	}
	if g.Kind == Series && len(news) >= 2 {
		s.add(Weights.Series, "a series candidate of %d new items", len(news))
	}
	if !first.IsZero() && last.Sub(first) <= SessionWindow && len(news) >= 2 {
		s.add(Weights.Session, "taken within %s", span(last.Sub(first)))
	}
	if !last.IsZero() && now.Sub(last) <= RecentWindow {
		s.add(Weights.Recent, "captured recently (%s)", last.Format("2006-01-02"))
	}
	if gps {
		s.add(Weights.GPS, "GPS position in the EXIF")
	}
	for _, c := range g.Cameras {
		if series, ok := knownCams[c]; ok && len(news) > 0 {
			s.add(Weights.KnownUnidentifiedCamera, "same camera as known series %s whose victim is not identified", series)
			break
		}
	}
	if len(news) > 0 {
		if len(seenIn) == 0 {
			s.add(Weights.NeverSeen, "not seen in any other case")
		} else {
			s.add(Weights.SeenElsewhere, "also seen in %s", strings.Join(keys(seenIn), ", "))
		}
	}
	scoreKnown(s, g)
}

// scoreKnown adds the rules for matched material.
func scoreKnown(s *scorer, g *Group) {
	var near, unident, ident, benign int
	for _, m := range g.Media {
		switch m.Verdict {
		case NearKnown:
			near++
		case BenignKnown:
			benign++
		case Known:
			if identified(m.File.Matches) {
				ident++
			} else {
				unident++
			}
		}
	}
	if near > 0 {
		s.add(Weights.NearKnown, "%d %s of known material (perceptual match only)", near, plural(near, "variant", "variants"))
	}
	if unident > 0 {
		s.add(Weights.KnownUnidentified, "%d known %s, victim not identified", unident, plural(unident, "item", "items"))
	}
	if ident > 0 && ident+benign == len(g.Media) {
		s.add(Weights.KnownIdentified, "%d known %s, victim identified", ident, plural(ident, "item", "items"))
	}
	if benign > 0 && benign == len(g.Media) {
		s.add(Weights.Benign, "known-benign (negative bank)")
	}
}

// identified reports whether a positive, unsuppressed hit says the victim
// is identified.
func identified(hits []Hit) bool {
	for _, h := range hits {
		if !h.Negative && !h.Suppressed && h.VictimIdentified != nil && *h.VictimIdentified {
			return true
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func span(d time.Duration) string {
	if d < time.Hour {
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	return fmt.Sprintf("%.1f hours", d.Hours())
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// WeightTable lists Weights in their documented order.
func WeightTable() []Weight {
	w := Weights
	return []Weight{w.NewMedia, w.NewMediaCap, w.CameraOriginal, w.CameraSerial, w.Series, w.Session, w.Recent, w.GPS,
		w.KnownUnidentifiedCamera, w.NeverSeen, w.SeenElsewhere, w.NearKnown, w.KnownUnidentified, w.KnownIdentified, w.Benign}
}
