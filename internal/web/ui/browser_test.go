package ui_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/browsertest"
	"github.com/havenproject/haven/internal/signal"
)

// TestInChromium drives the UI in a real headless Chromium with page
// scripts disabled (the basics must work without JavaScript): log in,
// create a bank, import a hash list, upload a benign image to the match
// debugger, and check that its thumbnail is blurred and grey until
// clicked, that the toggle works from the keyboard, and that no request
// left the loopback server.
func TestInChromium(t *testing.T) {
	bin := browsertest.Require(t)
	e := newEnv(t)
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")
	list := filepath.Join(t.TempDir(), "hotline.txt")
	if err := os.WriteFile(list, fmt.Appendf(nil, "pdq %s\n", pdqOf(t, "bridge.jpg")), 0o644); err != nil {
		t.Fatal(err)
	}
	image, err := filepath.Abs(samplePath(t, "bridge.jpg"))
	if err != nil {
		t.Fatal(err)
	}

	p := browsertest.Start(t, bin, browsertest.Options{})
	if _, err := p.Call("Emulation.setScriptExecutionDisabled", map[string]any{"value": true}); err != nil {
		t.Fatal(err)
	}
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("open", p.Navigate(e.srv.URL+"/"))
	step("login name", p.Fill("#login", "ana"))
	step("password", p.Fill("#password", "correct horse battery"))
	step("log in", p.Submit("#login-go"))
	expectText(t, p, "h1", "Dashboard")

	step("banks", p.Navigate(e.srv.URL+"/banks"))
	step("bank name", p.Fill("#bank-name", "hotline-browser"))
	step("shared", p.Fill("#bank-shared", "platform"))
	step("create", p.Submit("#bank-go"))
	expectText(t, p, "h1", "Bank hotline-browser")
	expectText(t, p, ".flash", "Bank created.")

	step("choose list", p.SetFiles("#import-file", list))
	step("import", p.Submit("#import-go"))
	expectText(t, p, "#import-result", "Import of hotline.txt (pytx)")
	expectText(t, p, "section[aria-labelledby=import-result] dl", "Added1")

	step("match page", p.Navigate(e.srv.URL+"/match"))
	step("choose image", p.SetFiles("#match-image", image))
	step("look up", p.Submit("#match-go"))
	expectText(t, p, "table.hits", "hotline-browser")

	filter := func() string {
		var f string
		step("filter", p.Eval(`getComputedStyle(document.getElementById("upload-thumb")).filter`, &f))
		return f
	}
	var loaded bool
	step("thumbnail", p.Eval(`(() => { const i = document.getElementById("upload-thumb"); return i.complete && i.naturalWidth > 0; })()`, &loaded))
	if !loaded {
		t.Error("the thumbnail did not load")
	}
	if f := filter(); !strings.Contains(f, "blur(") || !strings.Contains(f, "grayscale(1)") {
		t.Errorf("thumbnail filter before any click: %q, want blur and grayscale", f)
	}
	step("click", p.Eval(`document.getElementById("upload-thumb").click()`, nil))
	if f := filter(); f != "none" {
		t.Errorf("thumbnail filter after a click: %q, want none", f)
	}
	// The toggle is a checkbox next after the form's button: Tab to it
	// (it shows a focus ring) and press space to blur again.
	step("focus", p.Eval(`document.getElementById("match-go").focus()`, nil))
	press(t, p, "Tab", "Tab", 9, "")
	var focus struct{ ID, Outline string }
	step("outline", p.Eval(`({id: document.activeElement.id, outline: getComputedStyle(document.activeElement).outlineStyle})`, &focus))
	if focus.ID != "reveal-upload" || focus.Outline == "none" {
		t.Errorf("after Tab: focus on %q with outline %q, want the reveal toggle with a visible outline", focus.ID, focus.Outline)
	}
	press(t, p, " ", "Space", 32, " ")
	if f := filter(); !strings.Contains(f, "blur(") {
		t.Errorf("thumbnail filter after space on the toggle: %q, want blurred again", f)
	}

	reqs := p.Requests()
	if len(reqs) < 8 {
		t.Errorf("only %d requests logged", len(reqs))
	}
	for _, u := range reqs {
		if !strings.HasPrefix(u, e.srv.URL+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("request left the loopback server: %s", u)
		}
	}
}

// press types one key into the page.
func press(t *testing.T, p *browsertest.Page, key, code string, vk int, text string) {
	t.Helper()
	for _, typ := range []string{"keyDown", "keyUp"} {
		ev := map[string]any{"type": typ, "key": key, "code": code, "windowsVirtualKeyCode": vk}
		if typ == "keyDown" && text != "" {
			ev["text"] = text
		}
		if _, err := p.Call("Input.dispatchKeyEvent", ev); err != nil {
			t.Fatalf("key %s: %v", code, err)
		}
	}
}

func expectText(t *testing.T, p *browsertest.Page, selector, want string) {
	t.Helper()
	got, err := p.Text(selector)
	if err != nil {
		u, _ := p.URL()
		t.Fatalf("at %s: %v", u, err)
	}
	if !strings.Contains(strings.Join(strings.Fields(got), ""), strings.Join(strings.Fields(want), "")) {
		t.Fatalf("%s says %q, want %q", selector, strings.TrimSpace(got), want)
	}
}

// TestInChromiumWithScripts checks the optional script under the pages'
// Content-Security-Policy: withdrawing an entry asks for confirmation
// (haven.js), and the withdrawal goes through once accepted.
func TestInChromiumWithScripts(t *testing.T) {
	bin := browsertest.Require(t)
	e := newEnv(t)
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")
	e.banks.Create(context.Background(), bank.Bank{Name: "hb", SourceOrg: "hotline"})
	e.banks.Import(context.Background(), "hb", &oneEntry{sig: signal.Signal{Kind: signal.PDQ, Value: pdqOf(t, "bridge.jpg")}}, bank.ImportOptions{AddedBy: "seed"})

	p := browsertest.Start(t, bin, browsertest.Options{})
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("open", p.Navigate(e.srv.URL+"/login"))
	step("login name", p.Fill("#login", "ana"))
	step("password", p.Fill("#password", "correct horse battery"))
	step("log in", p.Submit("#login-go"))
	step("bank", p.Navigate(e.srv.URL+"/banks/hb"))
	var id int
	step("entry id", p.Eval(`parseInt(document.querySelector("input[name=entry]").value)`, &id))
	step("reason", p.Fill(fmt.Sprintf("#reason-%d", id), "test withdrawal"))
	p.AnswerDialogs(true)
	step("withdraw", p.Submit("form[action$='/withdraw'] button"))
	expectText(t, p, ".flash", "Entry withdrawn.")
	dialogs := p.Events("Page.javascriptDialogOpening")
	if len(dialogs) != 1 || !strings.Contains(string(dialogs[0].Params), fmt.Sprintf("Withdraw entry %d?", id)) {
		t.Errorf("confirmation dialogs: %v", dialogs)
	}
	for _, ev := range p.Events("Runtime.exceptionThrown") {
		t.Errorf("script error: %s", ev.Params)
	}
}

// oneEntry is an import source of one entry.
type oneEntry struct {
	sig  signal.Signal
	done bool
}

func (o *oneEntry) Next() (bank.Entry, error) {
	if o.done {
		return bank.Entry{}, io.EOF
	}
	o.done = true
	return bank.Entry{Signal: o.sig}, nil
}
