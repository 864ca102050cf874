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
// leaves this server.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "/banks", "//evil", "/\\evil", "https://evil/", "/a\r\nLocation: x", "javascript:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := localPath(p)
		if got == "" {
			return
		}
		if got != p {
			t.Fatalf("localPath changed %q to %q", p, got)
		}
		u, err := url.Parse("http://haven.test" + got)
		if err != nil {
			return // the redirect would fail, harmlessly
		}
		if u.Host != "haven.test" {
			t.Fatalf("next %q leads to host %q", p, u.Host)
		}
	})
}
