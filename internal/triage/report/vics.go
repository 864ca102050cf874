package report

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats/vics"
	"github.com/havenproject/haven/internal/triage"
)

// The VICS 2.0 case export: one #Cases object whose Media are the
// seizure's distinct contents (by MD5), each with its files, EXIF, SHA-256
// and PDQ as AlternativeHashes, and the bank's category, series and
// victim flag where a positive bank knows it (IsPrecategorized). Categories
// are written in the US profile; a bank category in another scheme is not
// translated and the Media is left uncategorised.
type vicsExport struct {
	Context string     `json:"@odata.context"`
	Value   []vicsCase `json:"value"`
}

type vicsCase struct {
	CaseNumber            string      `json:"CaseNumber"`
	SourceApplicationName string      `json:"SourceApplicationName"`
	Media                 []vicsMedia `json:"Media"`
}

type vicsMedia struct {
	MediaID           int           `json:"MediaID"`
	MD5               string        `json:"MD5"`
	SHA1              string        `json:"SHA1"`
	MediaSize         int64         `json:"MediaSize"`
	Category          *int          `json:"Category,omitempty"`
	IsPrecategorized  bool          `json:"IsPrecategorized"`
	Series            string        `json:"Series,omitempty"`
	VictimIdentified  *bool         `json:"VictimIdentified,omitempty"`
	Comments          string        `json:"Comments,omitempty"`
	MediaFiles        []vicsFile    `json:"MediaFiles"`
	Exifs             []vicsExif    `json:"Exifs,omitempty"`
	AlternativeHashes []vicsAltHash `json:"AlternativeHashes"`
	Segments          []vicsSegment `json:"Segments,omitempty"`
}

// vicsSegment is a VICS 2.0 Segment of a video: the part of it that
// matched a known video, with that video's category (0: not categorised
// in the US scheme). Start and End are timecodes, HH:MM:SS.mmm.
type vicsSegment struct {
	MD5          string `json:"MD5"`
	SegmentIndex int    `json:"SegmentIndex"`
	Start        string `json:"Start"`
	End          string `json:"End"`
	Category     int    `json:"Category"`
}

type vicsFile struct {
	FileName string `json:"FileName"`
	FilePath string `json:"FilePath"`
}

type vicsExif struct {
	PropertyName  string `json:"PropertyName"`
	PropertyValue string `json:"PropertyValue"`
}

type vicsAltHash struct {
	HashName  string `json:"HashName"`
	HashValue string `json:"HashValue"`
	Quality   *int   `json:"Quality,omitempty"`
}

// VICSMediaFields are the properties writeVICS puts on each Media, for tests
// that check the export field by field.
var VICSMediaFields = []string{"MediaID", "MD5", "SHA1", "MediaSize", "Category", "IsPrecategorized", "Series",
	"VictimIdentified", "Comments", "MediaFiles", "Exifs", "AlternativeHashes", "Segments"}

// VICSSegmentFields are the properties of each Segment.
var VICSSegmentFields = []string{"MD5", "SegmentIndex", "Start", "End", "Category"}

func writeVICS(ctx context.Context, w *bufio.Writer, res *triage.Result) error {
	ctxURL := strings.TrimSuffix(vics.ContextURL("US"), "#Media") + "#Cases"
	head, err := json.Marshal(struct {
		Context string `json:"@odata.context"`
	}{ctxURL})
	if err != nil {
		return err
	}
	c, err := json.Marshal(struct {
		CaseNumber            string `json:"CaseNumber"`
		SourceApplicationName string `json:"SourceApplicationName"`
	}{res.Case, "Haven"})
	if err != nil {
		return err
	}
	w.Write(head[:len(head)-1])
	w.WriteString(`,"value":[`)
	w.Write(c[:len(c)-1])
	w.WriteString(`,"Media":[` + "\n")
	n := 0
	err = res.EachGroup(ctx, 1, 0, func(g *triage.Group) error {
		for _, m := range g.Media {
			n++
			b, err := json.Marshal(vicsMediaOf(n, m))
			if err != nil {
				return err
			}
			if n > 1 {
				w.WriteString(",\n")
			}
			w.Write(b)
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("\n]}]}\n")
	return err
}

func vicsMediaOf(id int, m *triage.Media) vicsMedia {
	f := m.File
	v := vicsMedia{MediaID: id, MD5: strings.ToUpper(f.MD5), SHA1: strings.ToUpper(f.SHA1), MediaSize: f.Size,
		Comments: "haven triage: " + string(m.Verdict)}
	for _, h := range f.Matches {
		if h.Negative || h.Suppressed || h.Kind == "pdq" || h.Scheme != string(bank.SchemeVICSUS) {
			continue
		}
		if n, err := strconv.Atoi(h.Category); err == nil {
			v.Category, v.IsPrecategorized = &n, true
			v.Series, v.VictimIdentified = h.Series, h.VictimIdentified
			break
		}
	}
	for _, p := range m.Files {
		dir, name := path.Split(p)
		v.MediaFiles = append(v.MediaFiles, vicsFile{FileName: name, FilePath: strings.TrimSuffix(dir, "/")})
	}
	v.Exifs = vicsExifs(f.EXIF)
	v.AlternativeHashes = []vicsAltHash{{HashName: "SHA256", HashValue: strings.ToUpper(f.SHA256)}}
	if f.PDQ != "" {
		q := f.Quality
		v.AlternativeHashes = append(v.AlternativeHashes, vicsAltHash{HashName: "PDQ", HashValue: f.PDQ, Quality: &q})
	}
	v.Segments = vicsSegments(f)
	return v
}

// vicsSegments lists the parts of a video that matched known videos.
func vicsSegments(f *triage.File) []vicsSegment {
	var out []vicsSegment
	for _, h := range f.Matches {
		if h.Kind != "vpdq" || h.Negative || h.Suppressed {
			continue
		}
		cat := 0
		if h.Scheme == string(bank.SchemeVICSUS) {
			cat, _ = strconv.Atoi(h.Category)
		}
		for _, s := range h.Segments {
			out = append(out, vicsSegment{MD5: strings.ToUpper(f.MD5), SegmentIndex: len(out), Start: timecode(s.Start), End: timecode(s.End), Category: cat})
		}
	}
	return out
}

// timecode writes seconds as HH:MM:SS.mmm.
func timecode(s float64) string {
	ms := int64(s*1000 + 0.5)
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

func vicsExifs(e *triage.EXIF) []vicsExif {
	if e == nil {
		return nil
	}
	var out []vicsExif
	add := func(k, v string) {
		if v != "" {
			out = append(out, vicsExif{k, v})
		}
	}
	add("Make", e.Make)
	add("Model", e.Model)
	add("BodySerialNumber", e.Serial)
	add("LensModel", e.Lens)
	add("Software", e.Software)
	if e.Taken != nil {
		add("DateTimeOriginal", e.Taken.Format(time.RFC3339))
	}
	if e.Latitude != nil {
		add("GPSLatitude", floatStr(e.Latitude))
		add("GPSLongitude", floatStr(e.Longitude))
	}
	if e.Orientation != 0 {
		add("Orientation", strconv.Itoa(e.Orientation))
	}
	return out
}
