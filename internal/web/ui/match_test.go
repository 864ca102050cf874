package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
)

// matchEnv has a bank of the hotline shared with the platform holding
// bridge.jpg's PDQ hash, and a police bank not shared with anyone holding
// rocket.jpg's.
func matchEnv(t *testing.T) *env {
	e := newEnv(t)
	ctx := context.Background()
	e.banks.Create(ctx, bank.Bank{Name: "hotline-csam", SourceOrg: "hotline", SharedWith: []string{"platform"}})
	e.banks.Create(ctx, bank.Bank{Name: "police-only", SourceOrg: "police"})
	e.loginAs(auth.HotlineAnalyst, "hotline")
	a := e.postFile("/banks/hotline-csam/import", map[string]string{"format": "pytx"}, "file", "l.txt",
		fmt.Appendf(nil, "pdq %s\n", pdqOf(t, "bridge.jpg")))
	mustContain(t, a, "<dt>Added</dt><dd>1</dd>")
	e.loginAs(auth.Investigator, "police")
	a = e.postFile("/banks/police-only/import", map[string]string{"format": "pytx"}, "file", "l.txt",
		fmt.Appendf(nil, "pdq %s\n", pdqOf(t, "rocket.jpg")))
	if a.status != http.StatusForbidden { // investigators do not write banks
		t.Fatalf("investigator import: %d", a.status)
	}
	e.loginAs(auth.HotlineAnalyst, "police")
	a = e.postFile("/banks/police-only/import", map[string]string{"format": "pytx"}, "file", "l.txt",
		fmt.Appendf(nil, "pdq %s\n", pdqOf(t, "rocket.jpg")))
	mustContain(t, a, "<dt>Added</dt><dd>1</dd>")
	return e
}

func TestMatchPastedHash(t *testing.T) {
	e := matchEnv(t)
	bridge := pdqOf(t, "bridge.jpg")
	e.loginAs(auth.Partner, "platform")
	mustContain(t, e.get("/match"), `<label for="match-hash">`, `<label for="match-image">`)
	a := e.post("/match", url.Values{"hash": {bridge}})
	if a.status != http.StatusOK {
		t.Fatalf("match: %d", a.status)
	}
	// 64 hex digits may be SHA-256 or PDQ: both are looked up.
	mustContain(t, a, "sha256:"+bridge, "pdq:"+bridge, "hotline-csam", `<td class="num">0</td>`)
	if strings.Contains(a.body, "/banks/hotline-csam") {
		t.Error("a partner gets a link to a bank's entries")
	}
	// The police bank is not shared with the platform.
	a = e.post("/match", url.Values{"hash": {"pdq:" + pdqOf(t, "rocket.jpg")}})
	mustContain(t, a, "No match.")
	if strings.Contains(a.body, "police-only") {
		t.Error("a bank not shared with the platform matched")
	}
	// As a browser sends it: multipart, with an empty file part.
	a = e.postFile("/match", map[string]string{"hash": "pdq:" + bridge}, "image", "", nil)
	if a.status != http.StatusOK || !strings.Contains(a.body, "hotline-csam") {
		t.Errorf("pasted hash beside an empty file input: %d", a.status)
	}
	a = e.post("/match", url.Values{"hash": {"pdq:zz"}})
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Not a hash") {
		t.Errorf("bad hash: %d", a.status)
	}
	if a = e.post("/match", url.Values{}); a.status != http.StatusBadRequest {
		t.Errorf("empty: %d", a.status)
	}
}

func TestMatchUpload(t *testing.T) {
	e := matchEnv(t)
	e.loginAs(auth.HotlineAnalyst, "hotline")
	var entries int64
	e.db.SQL.QueryRow(`SELECT COUNT(*) FROM entries`).Scan(&entries)
	img, err := os.ReadFile(samplePath(t, "bridge.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	a := e.postFile("/match", map[string]string{"dihedral": "1"}, "image", "bridge.jpg", img)
	if a.status != http.StatusOK {
		t.Fatalf("upload: %d", a.status)
	}
	mustContain(t, a, "Result for bridge.jpg", `class="thumb"`, `src="data:image/jpeg;base64,`, `id="reveal-upload"`,
		"pdq:"+pdqOf(t, "bridge.jpg"), `<a href="/banks/hotline-csam">hotline-csam</a>`, "PDQ quality", "md5:", "sha1:")
	var after int64
	e.db.SQL.QueryRow(`SELECT COUNT(*) FROM entries`).Scan(&after)
	if after != entries {
		t.Errorf("the upload changed the store: %d entries, were %d", after, entries)
	}
	// Not an image: its digests are still looked up, and the page says so.
	a = e.postFile("/match", nil, "image", "notes.txt", []byte("just some text"))
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Not an image Haven can decode") || strings.Contains(a.body, `class="thumb"`) {
		t.Errorf("text upload: %d", a.status)
	}
	mustContain(t, a, "sha256:")
	// A care worker may not use the debugger at all.
	e.loginAs(auth.CareWorker, "hotline")
	if a = e.postFile("/match", nil, "image", "bridge.jpg", img); a.status != http.StatusForbidden {
		t.Errorf("care worker upload: %d", a.status)
	}
}
