package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPage drives a small local site: a form with a file input posted to
// the server, JavaScript evaluation, computed styles, and the request log
// showing that only the loopback server was asked.
func TestPage(t *testing.T) {
	bin := Require(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html lang="en"><title>form</title>
<style>img.t{filter:blur(8px) grayscale(1)}</style>
<img class="t" alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form method="post" action="/up" enctype="multipart/form-data">
<label for="n">Name</label><input id="n" name="n"><label for="f">File</label><input id="f" type="file" name="f">
<button id="go">Send</button></form>`)
	})
	mux.HandleFunc("POST /up", func(w http.ResponseWriter, r *http.Request) {
		f, h, err := r.FormFile("f")
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		defer f.Close()
		fmt.Fprintf(w, `<!doctype html><p id="got">%s %s %d</p>`, r.FormValue("n"), h.Filename, h.Size)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	file := filepath.Join(t.TempDir(), "hello.txt")
	if err := os.WriteFile(file, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := Start(t, bin, Options{})
	if err := p.Navigate(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	var filter string
	if err := p.Eval(`getComputedStyle(document.querySelector("img.t")).filter`, &filter); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(filter, "blur") || !strings.Contains(filter, "grayscale") {
		t.Errorf("filter %q", filter)
	}
	if err := p.Fill("#n", "ada"); err != nil {
		t.Fatal(err)
	}
	if err := p.SetFiles("#f", file); err != nil {
		t.Fatal(err)
	}
	if err := p.Submit("#go"); err != nil {
		t.Fatal(err)
	}
	got, err := p.Text("#got")
	if err != nil {
		t.Fatal(err)
	}
	if got != "ada hello.txt 5" {
		t.Errorf("server got %q", got)
	}
	if err := p.Eval(`no_such_thing()`, nil); err == nil {
		t.Error("a throwing expression gave no error")
	}
	for _, u := range p.Requests() {
		if !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("request left the test server: %s", u)
		}
	}
	if n := len(p.Requests()); n < 2 {
		t.Errorf("%d requests logged, want the page and the post", n)
	}
}

// TestDialogs answers a confirm dialog that a form's submit handler opens.
func TestDialogs(t *testing.T) {
	bin := Require(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><form method="post" action="/done" onsubmit="return confirm('sure?')"><button id="go">Go</button></form>`)
	})
	mux.HandleFunc("POST /done", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `<p id="ok">posted</p>`) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := Start(t, bin, Options{})
	if err := p.Navigate(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	p.AnswerDialogs(true)
	if err := p.Submit("#go"); err != nil {
		t.Fatal(err)
	}
	if got, err := p.Text("#ok"); err != nil || got != "posted" {
		t.Errorf("after accepting: %q, %v", got, err)
	}
	if len(p.Events("Page.javascriptDialogOpening")) != 1 {
		t.Error("no dialog event logged")
	}
}

// TestNoNameResolution checks that the browser cannot reach a named host:
// pages under test can only talk to loopback addresses given as IPs.
func TestNoNameResolution(t *testing.T) {
	bin := Require(t)
	p := Start(t, bin, Options{})
	err := p.Navigate("http://example.com/")
	if err == nil {
		var href string
		p.Eval(`location.href`, &href)
		if strings.HasPrefix(href, "http://example.com") {
			var text string
			p.Eval(`document.body ? document.body.innerText : ""`, &text)
			if strings.Contains(text, "Example Domain") {
				t.Fatal("example.com loaded: name resolution is not disabled")
			}
		}
	}
}
