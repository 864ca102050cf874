package signal

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		kind    Kind
		in      string
		want    string
		wantErr error
	}{
		{MD5, " D41D8CD98F00B204E9800998ECF8427E\n", "d41d8cd98f00b204e9800998ecf8427e", nil},
		{SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709", nil},
		{PDQ, strings.Repeat("f", 64), strings.Repeat("f", 64), nil},
		{SHA256, strings.Repeat("0", 63), "", ErrValue},
		{MD5, strings.Repeat("g", 32), "", ErrValue},
		{VPDQ, "  ", "", ErrValue},
		{Kind("crc32"), "00000000", "", ErrKind},
	}
	for _, tc := range tests {
		got, err := Normalize(tc.kind, tc.in)
		if got != tc.want || !errors.Is(err, tc.wantErr) {
			t.Errorf("Normalize(%s, %q) = %q, %v; want %q, %v", tc.kind, tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestParseKind(t *testing.T) {
	for name, want := range map[string]Kind{"PDQ": PDQ, "video_md5": MD5, "ImagePDQ": PDQ, "HASH_SHA1": SHA1, "sha-256": SHA256} {
		if got, err := ParseKind(name); got != want || err != nil {
			t.Errorf("ParseKind(%q) = %q, %v", name, got, err)
		}
	}
	if _, err := ParseKind("url"); !errors.Is(err, ErrKind) {
		t.Errorf("url: %v", err)
	}
}

func TestGuess(t *testing.T) {
	if g := Guess(strings.Repeat("a", 64)); len(g) != 2 {
		t.Errorf("64 hex digits: %v", g)
	}
	if g := Guess("xyz"); g != nil {
		t.Errorf("non-hex: %v", g)
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("pdq", strings.Repeat("a", 64))
	f.Add("md5", "D41D8CD98F00B204E9800998ECF8427E")
	f.Fuzz(func(t *testing.T, kind, value string) {
		k, err := ParseKind(kind)
		if err != nil {
			return
		}
		v, err := Normalize(k, value)
		if err != nil {
			return
		}
		again, err := Normalize(k, v)
		if err != nil || again != v {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", value, v, again, err)
		}
	})
}
