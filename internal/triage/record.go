package triage

import "time"

// Verdict is what the banks say about one file.
type Verdict string

// The verdicts, from the banks' point of view.
const (
	Known       Verdict = "known"        // a positive bank lists its digest or PDQ at distance 0
	NearKnown   Verdict = "near-known"   // perceptual match only, at some distance
	New         Verdict = "new"          // media that no bank knows
	BenignKnown Verdict = "benign-known" // a negative bank knows it
	NotMedia    Verdict = "not-media"    // not an image or video
	Unreadable  Verdict = "unreadable"   // damaged, too large, refused by a limit
)

// File is everything learnt about one file of the seizure. It is also the
// journal's record, so its JSON form is stable.
type File struct {
	Path    string  `json:"path"`
	Size    int64   `json:"size"`
	Type    string  `json:"type"` // image format, or what the bytes look like
	Video   bool    `json:"video,omitempty"`
	Verdict Verdict `json:"verdict"`
	Why     string  `json:"why,omitempty"` // for unreadable and not-media
	Problem bool    `json:"problem,omitempty"`

	MD5     string `json:"md5,omitempty"`
	SHA1    string `json:"sha1,omitempty"`
	SHA256  string `json:"sha256,omitempty"`
	PDQ     string `json:"pdq,omitempty"`
	Quality int    `json:"pdq_quality,omitempty"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
	EXIF    *EXIF  `json:"exif,omitempty"`
	Thumb   string `json:"thumb,omitempty"` // path relative to the output directory

	// Videos: the vPDQ frame hashes in the reference's text format (one
	// line per sampled frame), the duration, and a few still frames
	// (paths relative to the output directory).
	VPDQ     string   `json:"vpdq,omitempty"`
	Duration float64  `json:"duration_s,omitempty"`
	Stills   []string `json:"stills,omitempty"`

	Matches []Hit `json:"matches,omitempty"`
}

// key identifies the record in the journal: a walk problem may name the
// same path as a file (the archive whose limit was reached).
func (f *File) key() string {
	if f.Problem {
		return f.Path + "\x00problem"
	}
	return f.Path
}

// IsMedia reports whether the file is an image or video that was read.
func (f *File) IsMedia() bool {
	switch f.Verdict {
	case Known, NearKnown, New, BenignKnown:
		return true
	}
	return false
}

// EXIF holds the camera facts a reviewer uses.
type EXIF struct {
	Make         string     `json:"make,omitempty"`
	Model        string     `json:"model,omitempty"`
	Serial       string     `json:"body_serial,omitempty"`
	Lens         string     `json:"lens,omitempty"`
	Software     string     `json:"software,omitempty"`
	Taken        *time.Time `json:"taken,omitempty"`
	TakenZoned   bool       `json:"taken_zoned,omitempty"`
	Latitude     *float64   `json:"latitude,omitempty"`
	Longitude    *float64   `json:"longitude,omitempty"`
	Orientation  int        `json:"orientation,omitempty"`
	HasThumbnail bool       `json:"has_thumbnail,omitempty"`
}

// Camera names the camera: "make model #serial", or "make model" when the
// EXIF has no body serial, "" when it names no camera.
func (e *EXIF) Camera() string {
	if e == nil || (e.Make == "" && e.Model == "") {
		return ""
	}
	if e.Serial == "" {
		return e.Make + " " + e.Model
	}
	return e.Make + " " + e.Model + " #" + e.Serial
}

// Hit is one bank entry that matched a file, with the entry's opinion.
type Hit struct {
	Source           string `json:"source"` // bank name, or "file:NAME" for --hashes
	Negative         bool   `json:"negative,omitempty"`
	Suppressed       bool   `json:"suppressed,omitempty"`
	Kind             string `json:"kind"`
	Distance         int    `json:"distance"`
	Scheme           string `json:"scheme,omitempty"`
	Category         string `json:"category,omitempty"`
	Series           string `json:"series,omitempty"`
	VictimIdentified *bool  `json:"victim_identified,omitempty"`

	// For vPDQ hits: the shares of the file's frames and of the entry's
	// frames that matched, and where in the file the matches are.
	QueryPercent    float64   `json:"query_percent,omitempty"`
	ComparedPercent float64   `json:"compared_percent,omitempty"`
	Segments        []Segment `json:"segments,omitempty"`
}

// Segment is a run of matching frames in a video, in seconds from its start.
type Segment struct {
	Start float64 `json:"start_s"`
	End   float64 `json:"end_s"`
}
