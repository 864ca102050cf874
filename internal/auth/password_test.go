package auth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
)

func TestHashPassword(t *testing.T) {
	h, err := auth.HashPassword(pw, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("PHC string %q", h)
	}
	phc, err := auth.ParsePHC(h)
	if err != nil || phc.Params != cheap || phc.String() != h {
		t.Fatalf("ParsePHC: %+v %v", phc, err)
	}
	for _, tc := range []struct {
		password string
		want     bool
	}{{pw, true}, {pw + " ", false}, {"", false}} {
		if ok, err := auth.VerifyPassword(tc.password, h); err != nil || ok != tc.want {
			t.Errorf("VerifyPassword(%q) = %v, %v", tc.password, ok, err)
		}
	}
	if h2, _ := auth.HashPassword(pw, cheap); h2 == h {
		t.Error("same salt twice")
	}
}

// TestVerifyKnownHash checks against a hash from the reference argon2
// command-line tool (echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32),
// so that our PHC strings mean what other implementations mean by them.
func TestVerifyKnownHash(t *testing.T) {
	const ref = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	ok, err := auth.VerifyPassword("password", ref)
	if err != nil || !ok {
		t.Errorf("reference hash: %v %v", ok, err)
	}
}

func TestParsePHCRejects(t *testing.T) {
	const salt, key = "c29tZXNhbHRzYWx0", "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	for _, s := range []string{
		"",
		"$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1$" + salt + "$" + key,
		"$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=4,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=9999999,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1000,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=256$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "=$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$",
		"x$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key,
	} {
		if _, err := auth.ParsePHC(s); !errors.Is(err, auth.ErrPHC) {
			t.Errorf("ParsePHC(%q): %v", s, err)
		}
		if _, err := auth.VerifyPassword("x", s); err == nil {
			t.Errorf("VerifyPassword accepted %q", s)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		password, login string
		ok              bool
	}{
		{"twelve chars", "alice", true},
		{"eleven char", "alice", false},
		{"ünïcödé ünïcödé", "alice", true}, // characters, not bytes
		{"alice-longname", "ALICE-LONGNAME", false},
		{strings.Repeat("x", 1025), "alice", false},
		{"\xff\xfe invalid utf-8", "alice", false},
	} {
		if err := auth.CheckPassword(tc.password, tc.login, 12); (err == nil) != tc.ok {
			t.Errorf("CheckPassword(%q): %v", tc.password, err)
		}
	}
	a, b := auth.GeneratePassword(), auth.GeneratePassword()
	if len(a) != 20 || a == b || auth.CheckPassword(a, "alice", 12) != nil {
		t.Errorf("GeneratePassword: %q %q", a, b)
	}
}
