package report

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/triage"
)

// csvHeader names media.csv's columns, one row per file.
var csvHeader = []string{"path", "verdict", "group", "size", "type", "md5", "sha1", "sha256", "pdq", "pdq_quality",
	"width", "height", "make", "model", "body_serial", "lens", "software", "taken", "latitude", "longitude",
	"orientation", "exif_thumbnail", "duration_s", "vpdq_frames", "matches", "why"}

func writeCSV(ctx context.Context, w io.Writer, res *triage.Result) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	err := res.EachFile(ctx, func(f *triage.File, group int) error {
		e := f.EXIF
		if e == nil {
			e = &triage.EXIF{}
		}
		row := []string{f.Path, string(f.Verdict), itoaZ(group), strconv.FormatInt(f.Size, 10), f.Type,
			f.MD5, f.SHA1, f.SHA256, f.PDQ, itoaZ(f.Quality), itoaZ(f.Width), itoaZ(f.Height),
			e.Make, e.Model, e.Serial, e.Lens, e.Software, timeStr(e.Taken), floatStr(e.Latitude), floatStr(e.Longitude),
			itoaZ(e.Orientation), boolStr(e.HasThumbnail), durationStr(f.Duration), itoaZ(strings.Count(f.VPDQ, "\n") + boolInt(f.VPDQ != "")),
			matchesStr(f.Matches), f.Why}
		for i, v := range row {
			row[i] = defuse(v)
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func durationStr(s float64) string {
	if s == 0 {
		return ""
	}
	return strconv.FormatFloat(s, 'f', 3, 64)
}

// defuse stops a spreadsheet from running a cell that starts like a formula
// (names inside a seizure are chosen by its owner).
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func itoaZ(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func timeStr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

func floatStr(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', 6, 64)
}

func boolStr(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// matchesStr summarises hits as "bank:scheme:category@distance; ...".
func matchesStr(hs []triage.Hit) string {
	var parts []string
	for _, h := range hs {
		s := h.Source
		if h.Scheme != "" {
			s += ":" + h.Scheme + ":" + h.Category
		}
		s += "@" + strconv.Itoa(h.Distance)
		if h.Negative {
			s += "(negative)"
		}
		if h.Suppressed {
			s += "(suppressed)"
		}
		if h.Kind == "vpdq" {
			s += fmt.Sprintf("(vpdq %.0f%%/%.0f%%)", h.QueryPercent, h.ComparedPercent)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}
