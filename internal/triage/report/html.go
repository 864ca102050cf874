package report

import (
	"bufio"
	"context"
	_ "embed"

	"fmt"
	"html/template"
	"path/filepath"
	"time"

	"github.com/havenproject/haven/internal/triage"
)

// Thumbnails are stored as small (160 px) normal JPEGs in thumbs/ and shown
// blurred and greyscale by a CSS filter until the reviewer clicks one (or
// reveals a group). Storing them pre-blurred would be safer against a file
// browser's previews, but then "reveal" could only show the blur; the report
// directory holds seized material anyway and must be handled as such. See
// docs/triage.md. Videos show their still frames the same way (images: no
// sound is ever played).

//go:embed report.html.tmpl
var htmlSource string

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"verdictClass": func(v triage.Verdict) string { return "v-" + string(v) },
	"pageName":     PageName,
}).Parse(htmlSource))

// Caps that keep the pages quick for seizures of millions of files; the
// complete lists are in results.json and media.csv.
const (
	MaxGroups = 300  // groups shown in the priority list
	MaxThumbs = 24   // thumbnails shown per group
	PageRows  = 2000 // rows of the file table per page
)

// PageName is the file of page n (from 1) of the file table: report.html
// holds the first page, files-N.html the others.
func PageName(n int) string {
	if n <= 1 {
		return HTMLName
	}
	return fmt.Sprintf("files-%d.html", n)
}

type htmlData struct {
	Res        *triage.Result
	Generated  string
	Groups     []htmlGroup
	MoreGroups int
	Verdicts   []verdictCount
	Page       pageData
}

type pageData struct {
	N, Of       int
	First, Last int64 // rows, from 1
	Files       []htmlFile
	Pages       []int
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

// writeHTML writes report.html (summary, priority list, first page of the
// file table) and the other pages of the file table, streaming the files.
func writeHTML(ctx context.Context, dir string, res *triage.Result, generated time.Time) error {
	d := htmlData{Res: res, Generated: generated.UTC().Format(time.RFC3339)}
	err := res.EachGroup(ctx, 1, MaxGroups, func(g *triage.Group) error {
		h := htmlGroup{Group: g, Shown: g.Media}
		if len(g.Media) > MaxThumbs {
			h.Shown, h.More = g.Media[:MaxThumbs], len(g.Media)-MaxThumbs
		}
		d.Groups = append(d.Groups, h)
		return nil
	})
	if err != nil {
		return err
	}
	d.MoreGroups = max(0, res.NGroups-MaxGroups)
	for _, v := range []triage.Verdict{triage.New, triage.NearKnown, triage.Known, triage.BenignKnown, triage.NotMedia, triage.Unreadable} {
		d.Verdicts = append(d.Verdicts, verdictCount{v, res.Counts[v]})
	}
	pages := int(max(1, (res.NFiles+PageRows-1)/PageRows))
	page := pageData{N: 1, Of: pages, First: 1}
	for i := range pages {
		page.Pages = append(page.Pages, i+1)
	}
	flush := func() error {
		p := page
		p.Last = p.First + int64(len(p.Files)) - 1
		tmpl := "page"
		var data any = p
		if p.N == 1 {
			d.Page = p
			tmpl, data = "report", d
		}
		err := writeFile(filepath.Join(dir, PageName(p.N)), func(w *bufio.Writer) error { return htmlTmpl.ExecuteTemplate(w, tmpl, data) })
		page.N, page.First, page.Files = page.N+1, p.Last+1, page.Files[:0]
		return err
	}
	err = res.EachFile(ctx, func(f *triage.File, group int) error {
		page.Files = append(page.Files, htmlFile{File: f, Group: group, Matches: matchesStr(f.Matches), Camera: f.EXIF.Camera()})
		if len(page.Files) == PageRows {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(page.Files) > 0 || page.N == 1 {
		return flush()
	}
	return nil
}
