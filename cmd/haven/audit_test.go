package main

import (
	"strconv"
	"testing"
)

// FuzzParseAnchor checks that --anchor values never panic and that what
// is accepted names a record and a well-formed hash.
func FuzzParseAnchor(f *testing.F) {
	f.Add("12:1b6f0cee477be580f632d571ba585ef97fd2eb044aa9d1db737a8809881ca031")
	f.Add("0:00")
	f.Add(":")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := parseAnchor(s)
		if err != nil {
			return
		}
		if a.ID < 1 || len(a.Hash) != 64 {
			t.Fatalf("parseAnchor(%q) = %+v", s, a)
		}
		if again, err := parseAnchor(strconv.FormatInt(a.ID, 10) + ":" + a.Hash); err != nil || again != a {
			t.Errorf("parseAnchor(%q) = %+v does not round-trip: %+v %v", s, a, again, err)
		}
	})
}

func FuzzParseTimeFlag(f *testing.F) {
	f.Add("2026-11-29")
	f.Add("2026-11-29T08:00:00.5+01:00")
	f.Fuzz(func(t *testing.T, s string) {
		parseTimeFlag("from", s) // must not panic
	})
}
