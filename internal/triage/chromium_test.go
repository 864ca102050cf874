package triage_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/browsertest"
	"github.com/havenproject/haven/internal/triage/report"
)

// TestReportInChromium opens report.html from file:// in headless Chromium
// driven over the DevTools protocol, and checks that it makes no network
// request, that thumbnails are blurred until clicked, that "Reveal group"
// unblurs a group and that the file table filters.
func TestReportInChromium(t *testing.T) {
	bin := browsertest.Require(t)
	_, out, res := triageReport(t)
	page := filepath.Join(out, report.HTMLName)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`(?i)(https?|wss?):`).Match(html) {
		t.Errorf("report.html names a network URL: %s", regexp.MustCompile(`(?i)(https?|wss?):[^"' ]*`).Find(html))
	}
	if !bytes.Contains(html, []byte(`http-equiv="Content-Security-Policy"`)) {
		t.Error("report.html has no CSP")
	}

	// The thumbnails sit beside report.html and load from file://.
	p := browsertest.Start(t, bin, browsertest.Options{Args: []string{"--allow-file-access-from-files"}})
	if err := p.Navigate("file://" + page); err != nil {
		t.Fatal(err)
	}
	checkBlur(t, p)
	checkFilter(t, p, len(res.Files))
	reqs := p.Requests()
	if !slices.Contains(reqs, "file://"+page) {
		t.Errorf("the request log has no load of report.html (%d requests), so it cannot show that nothing else was fetched", len(reqs))
	}
	for _, u := range reqs {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
			t.Errorf("network request to %s", u)
		}
	}
}

func checkBlur(t *testing.T, p *browsertest.Page) {
	t.Helper()
	var filters []string
	if err := p.Eval(`Array.from(document.querySelectorAll('img.thumb')).map(i => getComputedStyle(i).filter)`, &filters); err != nil {
		t.Fatal(err)
	}
	if len(filters) == 0 {
		t.Fatal("no thumbnails in the report")
	}
	for i, f := range filters {
		if !strings.Contains(f, "blur") || !strings.Contains(f, "grayscale") {
			t.Errorf("thumbnail %d filter %q before any click, want blur and grayscale", i, f)
		}
	}
	var loaded bool
	if err := p.Eval(`Array.from(document.querySelectorAll('img.thumb')).every(i => i.complete && i.naturalWidth > 0)`, &loaded); err != nil || !loaded {
		t.Errorf("thumbnails did not load from the report directory (%v)", err)
	}
	var after []string
	if err := p.Eval(`(() => { const i = document.querySelectorAll('img.thumb'); i[0].click();
		return [getComputedStyle(i[0]).filter, getComputedStyle(i[1]).filter]; })()`, &after); err != nil {
		t.Fatal(err)
	}
	if after[0] != "none" || !strings.Contains(after[1], "blur") {
		t.Errorf("after clicking the first thumbnail: filters %q, want it clear and the next still blurred", after)
	}
	var group []string
	if err := p.Eval(`(() => { const g = document.querySelectorAll('section.group')[1]; g.querySelector('button.reveal').click();
		return Array.from(g.querySelectorAll('img.thumb')).map(i => getComputedStyle(i).filter); })()`, &group); err != nil {
		t.Fatal(err)
	}
	for _, f := range group {
		if f != "none" {
			t.Errorf("after Reveal group: filter %q", f)
		}
	}
}

func checkFilter(t *testing.T, p *browsertest.Page, files int) {
	t.Helper()
	var counts []int
	err := p.Eval(`(() => { const f = document.getElementById('filter'); const vis = () =>
		Array.from(document.querySelectorAll('#files tbody tr')).filter(r => r.offsetParent !== null).length;
		const all = vis(); f.value = 'notes.txt'; f.dispatchEvent(new Event('input')); const one = vis();
		f.value = ''; f.dispatchEvent(new Event('input')); return [all, one, vis()]; })()`, &counts)
	if err != nil {
		t.Fatal(err)
	}
	if counts[0] != files || counts[1] != 1 || counts[2] != files {
		t.Errorf("file table rows visible: all %d, filtered %d, cleared %d; want %d, 1, %d", counts[0], counts[1], counts[2], files, files)
	}
}
