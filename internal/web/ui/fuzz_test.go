package ui

import (
	"net/url"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/signal"
)

// FuzzParseHashInput checks that any pasted text either gives signals
// that are valid and canonical or an error, never a panic.
func FuzzParseHashInput(f *testing.F) {
	for _, s := range []string{"pdq:" + strings.Repeat("f", 64), strings.Repeat("a", 64), strings.Repeat("0", 32), "md5:", ":", "sha1:zz", "PDQ:" + strings.Repeat("F", 64), "vpdq:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sigs, err := parseHashInput(text)
		if err != nil {
			if len(sigs) != 0 {
				t.Fatalf("signals with an error")
			}
			return
		}
		if len(sigs) == 0 {
			t.Fatal("no signals and no error")
		}
		for _, s := range sigs {
			again, err := signal.New(s.Kind, s.Value)
			if err != nil || again != s {
				t.Fatalf("%v does not round-trip: %v", s, err)
			}
		}
	})
}

// FuzzLocalPath checks that a "next" address kept by the login page never
// leaves this server: what localPath keeps is a path (no scheme, host or
// user), starts with one '/', has no byte a browser would drop or read as
// '/', and is kept unchanged when checked again.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "/banks", "//evil", "/\\evil", "https://evil/", "/a\r\nLocation: x", "javascript:x",
		"/\t/evil.example", "/%09/evil", "/%2F/evil", "/a?next=//evil#x", "/\x7f/evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := localPath(p)
		if got == "" {
			return
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || !safeBytes(got) {
			t.Fatalf("localPath(%q) = %q", p, got)
		}
		if again := localPath(got); again != got {
			t.Fatalf("localPath(%q) = %q, then %q", p, got, again)
		}
		u, err := url.Parse("http://haven.test" + got)
		if err != nil {
			t.Fatalf("kept %q, which does not parse: %v", got, err)
		}
		if u.Host != "haven.test" || u.User != nil {
			t.Fatalf("next %q leads to host %q", p, u.Host)
		}
	})
}

// TestLocalPath lists addresses a "next" parameter must not keep (after
// the query's own decoding) and ones it keeps, re-encoded.
func TestLocalPath(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/", "/"},
		{"/banks", "/banks"},
		{"/banks/a%20b?page=2", "/banks/a%20b?page=2"},
		{"/banks/a b", "/banks/a%20b"},
		{"/match#top", "/match"},
		{"/\t/evil.example", ""}, // browsers drop the tab: //evil.example
		{"/\n/evil.example", ""},
		{"/\r\nLocation: https://evil", ""},
		{"/\x7f/evil", ""},
		{"//evil", ""},
		{"///evil", ""},
		{"/\\evil", ""}, // browsers read \ as /
		{"\\\\evil", ""},
		{"/%5Cevil", ""}, // decodes to /\evil
		{"/%09/evil.example", ""},
		{"/%2F/evil", ""}, // path ///evil
		{"%2F%2Fevil", ""},
		{"https://evil", ""},
		{"https:/evil", ""},
		{"http:evil", ""},
		{"javascript:alert(1)", ""},
		{"//user@evil", ""},
		{"evil", ""},
		{"", ""},
		{"?x=1", ""},
	} {
		if got := localPath(c.in); got != c.want {
			t.Errorf("localPath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
