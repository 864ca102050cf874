package triage_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/triage/report"
)

// TestReportInChromium opens report.html from file:// in headless Chromium
// driven over the DevTools protocol, and checks that it makes no network
// request, that thumbnails are blurred until clicked, that "Reveal group"
// unblurs a group and that the file table filters.
func TestReportInChromium(t *testing.T) {
	bin := findChromium()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found (Debian: apt-get install -y chromium)")
		}
		t.Skip("chromium not found (Debian: apt-get install -y chromium); skipping the browser check")
	}
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

	c := startChromium(t, bin)
	defer c.Close()
	for _, m := range []string{"Page.enable", "Network.enable", "Runtime.enable"} {
		if _, err := c.call(m, map[string]any{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.call("Page.navigate", map[string]any{"url": "file://" + page}); err != nil {
		t.Fatal(err)
	}
	if err := c.waitEvent("Page.loadEventFired"); err != nil {
		t.Fatal(err)
	}
	checkBlur(t, c)
	checkFilter(t, c, len(res.Files))
	for _, e := range c.events {
		if e.Method != "Network.requestWillBeSent" {
			continue
		}
		var p struct{ Request struct{ URL string } }
		if err := jsonUnmarshal(e.Params, &p); err == nil && !strings.HasPrefix(p.Request.URL, "file://") && !strings.HasPrefix(p.Request.URL, "data:") {
			t.Errorf("network request to %s", p.Request.URL)
		}
	}
}

func checkBlur(t *testing.T, c *cdp) {
	t.Helper()
	var filters []string
	if err := c.eval(`Array.from(document.querySelectorAll('img.thumb')).map(i => getComputedStyle(i).filter)`, &filters); err != nil {
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
	if err := c.eval(`Array.from(document.querySelectorAll('img.thumb')).every(i => i.complete && i.naturalWidth > 0)`, &loaded); err != nil || !loaded {
		t.Errorf("thumbnails did not load from the report directory (%v)", err)
	}
	var after []string
	if err := c.eval(`(() => { const i = document.querySelectorAll('img.thumb'); i[0].click();
		return [getComputedStyle(i[0]).filter, getComputedStyle(i[1]).filter]; })()`, &after); err != nil {
		t.Fatal(err)
	}
	if after[0] != "none" || !strings.Contains(after[1], "blur") {
		t.Errorf("after clicking the first thumbnail: filters %q, want it clear and the next still blurred", after)
	}
	var group []string
	if err := c.eval(`(() => { const g = document.querySelectorAll('section.group')[1]; g.querySelector('button.reveal').click();
		return Array.from(g.querySelectorAll('img.thumb')).map(i => getComputedStyle(i).filter); })()`, &group); err != nil {
		t.Fatal(err)
	}
	for _, f := range group {
		if f != "none" {
			t.Errorf("after Reveal group: filter %q", f)
		}
	}
}

func checkFilter(t *testing.T, c *cdp, files int) {
	t.Helper()
	var counts []int
	err := c.eval(`(() => { const f = document.getElementById('filter'); const vis = () =>
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

func findChromium() string {
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// startChromium starts a headless browser with its own profile and no
// network (every host resolves to nothing) and connects to its page.
func startChromium(t *testing.T, bin string) *cdp {
	t.Helper()
	profile := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--remote-debugging-port=0", "--user-data-dir="+profile, "--host-resolver-rules=MAP * ~NOTFOUND",
		"--allow-file-access-from-files", "about:blank")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	var port string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		b, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort"))
		if err == nil && bytes.Contains(b, []byte("\n")) {
			port = strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
			break
		}
	}
	if port == "" {
		t.Fatal("chromium did not start its DevTools endpoint")
	}
	c, err := dialCDP(port)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
