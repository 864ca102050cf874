package report

import (
	_ "embed"
	"html/template"
	"io"
	"time"

	"github.com/havenproject/haven/internal/triage"
)

// Thumbnails are stored as small (160 px) normal JPEGs in thumbs/ and shown
// blurred and greyscale by a CSS filter until the reviewer clicks one (or
// reveals a group). Storing them pre-blurred would be safer against a file
// browser's previews, but then "reveal" could only show the blur; the report
// directory holds seized material anyway and must be handled as such. See
// docs/triage.md.

//go:embed report.html.tmpl
var htmlSource string

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"verdictClass": func(v triage.Verdict) string { return "v-" + string(v) },
}).Parse(htmlSource))

// Caps that keep the page usable for seizures of millions of files; the
// complete lists are in results.json and media.csv.
const (
	MaxGroups    = 1000  // groups shown in the priority list
	MaxThumbs    = 48    // thumbnails shown per group
	MaxTableRows = 50000 // rows of the file table
)

type htmlData struct {
	Res        *triage.Result
	Generated  string
	Groups     []htmlGroup
	MoreGroups int
	Files      []htmlFile
	MoreFiles  int
	Verdicts   []verdictCount
}

type htmlGroup struct {
	*triage.Group
	Shown []*triage.Media
	More  int
}

type htmlFile struct {
	*triage.File
	Group   int
	Matches string
	Camera  string
}

type verdictCount struct {
	Verdict triage.Verdict
	N       int
}

func writeHTML(w io.Writer, res *triage.Result, generated time.Time) error {
	d := htmlData{Res: res, Generated: generated.UTC().Format(time.RFC3339)}
	groups := groupOf(res)
	for i, g := range res.Groups {
		if i == MaxGroups {
			d.MoreGroups = len(res.Groups) - i
			break
		}
		h := htmlGroup{Group: g, Shown: g.Media}
		if len(g.Media) > MaxThumbs {
			h.Shown, h.More = g.Media[:MaxThumbs], len(g.Media)-MaxThumbs
		}
		d.Groups = append(d.Groups, h)
	}
	for i, f := range res.Files {
		if i == MaxTableRows {
			d.MoreFiles = len(res.Files) - i
			break
		}
		d.Files = append(d.Files, htmlFile{File: f, Group: groups[f.Path], Matches: matchesStr(f.Matches), Camera: f.EXIF.Camera()})
	}
	for _, v := range []triage.Verdict{triage.New, triage.NearKnown, triage.Known, triage.BenignKnown, triage.NotMedia, triage.Unreadable} {
		d.Verdicts = append(d.Verdicts, verdictCount{v, res.Counts[v]})
	}
	return htmlTmpl.Execute(w, d)
}
