package auth

import (
	"strings"
	"testing"
)

func TestAddrKey(t *testing.T) {
	for _, tc := range []struct{ remote, want string }{
		{"192.0.2.1", "addr:192.0.2.1"},
		{"192.0.2.1:5555", "addr:192.0.2.1"},
		{"[::ffff:192.0.2.1]:80", "addr:192.0.2.1"},
		{"2001:db8:1:2:3:4:5:6", "addr:2001:db8:1:2::/64"},
		{"[2001:db8:1:2::9%eth0]:443", "addr:2001:db8:1:2::/64"},
		{"", "addr:unknown"},
		{"not an address", "addr:unknown"},
	} {
		if got := addrKey(tc.remote); got != tc.want {
			t.Errorf("addrKey(%q) = %q, want %q", tc.remote, got, tc.want)
		}
	}
}

// FuzzAddrKey checks that any remote address string gives a key, without
// panicking, and that every address of one IPv6 /64 gives the same one.
func FuzzAddrKey(f *testing.F) {
	for _, s := range []string{"192.0.2.1:80", "[2001:db8::1]:443", "::1", "fe80::1%eth0", "[::ffff:10.0.0.1]:1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, remote string) {
		k := addrKey(remote)
		if !strings.HasPrefix(k, "addr:") {
			t.Fatalf("addrKey(%q) = %q", remote, k)
		}
		if strings.HasSuffix(k, "/64") && addrKey(strings.TrimSuffix(strings.TrimPrefix(k, "addr:"), "/64")) != k {
			t.Errorf("addrKey(%q) = %q, but the network's own address keys differently", remote, k)
		}
	})
}
