package vpdq

import (
	"errors"
	"strings"
	"testing"
)

const (
	sigH1 = "e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c"
	sigH2 = "c8feb0fc73910f830fc6307cf039e7030fc61b9cf8717cf00fce00070003fffe"
)

func TestSignalForms(t *testing.T) {
	canonical := "0,100," + sigH1 + ",0.000\n30,68," + sigH2 + ",1.000"
	tests := []struct {
		name, in, want string
	}{
		{"reference text", canonical + "\n", canonical},
		{"reference text, CRLF", strings.ReplaceAll(canonical, "\n", "\r\n"), canonical},
		// HMA's array has no frame numbers: frames are numbered by position.
		{"HMA array", `["` + sigH1 + `,100,0.0", "` + sigH2 + `,68,1.0"]`, "0,100," + sigH1 + ",0.000\n1,68," + sigH2 + ",1.000"},
		{"HMA array, pytx 3-digit exponent", `["` + sigH1 + `,100,1.23e+02"]`, "0,100," + sigH1 + ",123.000"},
		{"old pytx object", `{"30": {"quality": 68, "hash": "` + sigH2 + `", "timestamp": 1.0}, "0": {"quality": 100, "hash": "` + sigH1 + `", "timestamp": 0}}`, canonical},
	}
	for _, tc := range tests {
		got, err := CanonicalSignal(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	frames, err := ParseSignal(canonical)
	if err != nil {
		t.Fatal(err)
	}
	hma := FormatHMA(frames)
	if want := `["` + sigH1 + `,100,0.000", "` + sigH2 + `,68,1.000"]`; hma != want {
		t.Errorf("FormatHMA = %s, want %s", hma, want)
	}
}

func TestSignalErrors(t *testing.T) {
	for _, in := range []string{
		"", "   ", "[]", "{}", "[1]", `["` + sigH1 + `,100"]`, `["` + sigH1 + `,101,0"]`,
		`["` + sigH1 + `,100,-1"]`, `["` + sigH1 + `,100,nan"]`, `["xyz,100,0"]`,
		`["` + sigH1 + `,100,0"] x`, `["` + sigH1 + `,100,0"]]`,
		`{"a": {"quality": 1, "hash": "` + sigH1 + `", "timestamp": 0}}`,
		`{"0": {"quality": 1, "hash": "` + sigH1 + `"}}`,
		`{"0": {"quality": 1.5, "hash": "` + sigH1 + `", "timestamp": 0}}`,
		"0,100," + sigH1, "not a hash",
		strings.Repeat("0,100,"+sigH1+",0.000\n", MaxSignalFrames+1),
	} {
		if f, err := ParseSignal(in); !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseSignal(%.60q) = %d frames, %v; want ErrSyntax", in, len(f), err)
		}
	}
}

func FuzzParseSignal(f *testing.F) {
	f.Add("0,100," + sigH1 + ",0.000\n30,68," + sigH2 + ",1.000")
	f.Add(`["` + sigH1 + `,100,0.0", "` + sigH2 + `,68,1.0"]`)
	f.Add(`{"0": {"quality": 100, "hash": "` + sigH1 + `", "timestamp": 0.5}}`)
	f.Fuzz(func(t *testing.T, s string) {
		frames, err := ParseSignal(s)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("error not ErrSyntax: %v", err)
			}
			return
		}
		canon := FormatSignal(frames)
		again, err := CanonicalSignal(canon)
		if err != nil || again != canon {
			t.Fatalf("canonical form not stable: %q -> %q, %v", canon, again, err)
		}
		hma, err := ParseSignal(FormatHMA(frames))
		if err != nil || len(hma) != len(frames) {
			t.Fatalf("HMA form does not parse back: %v", err)
		}
		for i := range hma {
			a, b := hma[i], frames[i]
			if a.Hash != b.Hash || a.Quality != b.Quality || (Frame{Timestamp: a.Timestamp}).String() != (Frame{Timestamp: b.Timestamp}).String() {
				t.Fatalf("frame %d: %v != %v", i, a, b)
			}
		}
	})
}
