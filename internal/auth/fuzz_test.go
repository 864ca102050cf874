package auth_test

import (
	"bytes"
	"testing"

	"github.com/havenproject/haven/internal/auth"
)

// FuzzParsePHC checks that ParsePHC never panics, and that what it accepts
// formats back to the same string (one encoding per hash, so a stored hash
// cannot be varied unnoticed).
func FuzzParsePHC(f *testing.F) {
	for _, s := range []string{
		"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=064,t=1,p=1$$", "$$$$$", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := auth.ParsePHC(s)
		if err != nil {
			return
		}
		if got := h.String(); got != s {
			t.Errorf("ParsePHC(%q) formats as %q", s, got)
		}
		if h.Params.Memory > 1<<20 || h.Params.Time > 64 || h.Params.Threads == 0 || len(h.Salt) < 8 || len(h.Key) < 16 {
			t.Errorf("ParsePHC(%q) accepted out-of-bounds %+v", s, h.Params)
		}
	})
}

// FuzzParseToken checks that ParseToken never panics and accepts only
// tokens in their one canonical form.
func FuzzParseToken(f *testing.F) {
	f.Add(auth.FormatToken(make([]byte, 32)))
	f.Add(auth.FormatToken(bytes.Repeat([]byte{0xfb}, 32)))
	f.Add("haven_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		secret, err := auth.ParseToken(s)
		if err != nil {
			return
		}
		if len(secret) != 32 {
			t.Fatalf("ParseToken(%q): %d-byte secret", s, len(secret))
		}
		again, err := auth.ParseToken(s)
		if err != nil || !bytes.Equal(again, secret) {
			t.Fatalf("ParseToken(%q) not deterministic", s)
		}
		if auth.FormatToken(secret) != s {
			t.Errorf("ParseToken accepted %q, whose canonical form is %q", s, auth.FormatToken(secret))
		}
	})
}

// FuzzParseRoles checks that ParseRoles never panics, returns only known
// roles, once each, and reads its own output back the same.
func FuzzParseRoles(f *testing.F) {
	for _, s := range []string{"", "partner", "admin, investigator,victim_id", "monitor,,monitor", "root", " , ", "partner,\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rs, err := auth.ParseRoles(s)
		if err != nil {
			return
		}
		seen := map[auth.Role]bool{}
		for _, r := range rs {
			if _, err := auth.ParseRole(string(r)); err != nil || seen[r] {
				t.Fatalf("ParseRoles(%q) = %v", s, rs)
			}
			seen[r] = true
		}
		again, err := auth.ParseRoles(auth.FormatRoles(rs))
		if err != nil || auth.FormatRoles(again) != auth.FormatRoles(rs) {
			t.Errorf("ParseRoles(%q) = %v does not read back: %v %v", s, rs, again, err)
		}
	})
}
