package vpdq

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

const sampleLines = `0,100,e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c,0.000
30,68,c8feb0fc73910f830fc6307cf039e7030fc61b9cf8717cf00fce00070003fffe,1.000
60,0,4de4be27bac5c7946af3ac061dea8798275e6abcd1428b8491e4c34ecb5362e8,2.000
`

func TestParseWriteRoundTrip(t *testing.T) {
	frames, err := Parse(strings.NewReader(sampleLines))
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 3 || frames[1].Number != 30 || frames[1].Quality != 68 || frames[2].Timestamp != 2 {
		t.Fatalf("parsed %+v", frames)
	}
	var b bytes.Buffer
	if err := Write(&b, frames); err != nil {
		t.Fatal(err)
	}
	if b.String() != sampleLines {
		t.Errorf("wrote\n%s\nwant\n%s", b.String(), sampleLines)
	}
	// CRLF and blank lines are accepted; the result is the same.
	crlf := "\r\n" + strings.ReplaceAll(sampleLines, "\n", "\r\n") + "\r\n"
	again, err := Parse(strings.NewReader(crlf))
	if err != nil || len(again) != 3 || again[2] != frames[2] {
		t.Errorf("CRLF: %v %+v", err, again)
	}
}

// TestTimestampFormat checks the three-decimal rounding against values
// the reference prints: float32 timestamps, ties to even.
func TestTimestampFormat(t *testing.T) {
	for _, tc := range []struct {
		number int
		fps    float64
		want   string
	}{
		{1, 30, "0.033"}, {2, 30, "0.067"}, {29, 30, "0.967"}, {563, 30, "18.767"},
		{1, 30000.0 / 1001, "0.033"}, {1, 16, "0.062"}, {3, 16, "0.188"}, {1, 8, "0.125"},
	} {
		f := Frame{Number: tc.number, Timestamp: frameTimestamp(tc.number, tc.fps)}
		got := f.String()
		got = got[strings.LastIndexByte(got, ',')+1:]
		if got != tc.want {
			t.Errorf("frame %d at %g fps: %s, want %s", tc.number, tc.fps, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const h = "e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c"
	for _, tc := range []struct{ name, in string }{
		{"three fields", "0,100," + h},
		{"five fields", "0,100," + h + ",0.000,x"},
		{"negative frame", "-1,100," + h + ",0.000"},
		{"frame too large", "99999999999,100," + h + ",0.000"},
		{"quality over 100", "0,101," + h + ",0.000"},
		{"quality not a number", "0,q," + h + ",0.000"},
		{"empty quality", "0,," + h + ",0.000"},
		{"short hash", "0,100," + h[:63] + ",0.000"},
		{"non-hex hash", "0,100," + h[:63] + "g,0.000"},
		{"negative time", "0,100," + h + ",-1"},
		{"NaN time", "0,100," + h + ",NaN"},
		{"Inf time", "0,100," + h + ",Inf"},
		{"huge time", "0,100," + h + ",1e999"},
		{"hex time", "0,100," + h + ",0x1p3"},
		{"empty time", "0,100," + h + ","},
		{"long line", strings.Repeat("0", 2000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(sampleLines + tc.in + "\n"))
			var se *SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
				t.Fatalf("error %v, want a SyntaxError", err)
			}
			if se.Line != 4 {
				t.Errorf("line %d, want 4 (%v)", se.Line, err)
			}
			if _, err := ParseLine(tc.in); err == nil {
				t.Errorf("ParseLine accepted %q", tc.in)
			}
		})
	}
}

func TestWriteParseRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	frames := randomVideo(r, 500)
	for i := range frames {
		frames[i].Timestamp = frameTimestamp(frames[i].Number, 29.97)
	}
	var b bytes.Buffer
	Write(&b, frames)
	got, err := Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range frames {
		if got[i].String() != frames[i].String() {
			t.Fatalf("frame %d: %s, want %s", i, got[i], frames[i])
		}
	}
}

// FuzzParse: Parse never panics, and what it accepts writes back to text
// that parses to the same frames.
func FuzzParse(f *testing.F) {
	f.Add(sampleLines)
	f.Add("0,100,e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c,1e3\r\n\n")
	f.Add("5, 7 ,E271017837246AACCDDEA259648FB7D62F435C89D9E99B2497763E216C8D055C, 0.5")
	f.Fuzz(func(t *testing.T, in string) {
		frames, err := Parse(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("error %v is not ErrSyntax", err)
			}
			return
		}
		var b bytes.Buffer
		if err := Write(&b, frames); err != nil {
			t.Fatal(err)
		}
		again, err := Parse(&b)
		if err != nil {
			t.Fatalf("written output does not parse: %v\n%s", err, b.String())
		}
		if len(again) != len(frames) {
			t.Fatalf("%d frames, then %d", len(frames), len(again))
		}
		for i := range frames {
			a, g := frames[i], again[i]
			if a.Number != g.Number || a.Quality != g.Quality || a.Hash != g.Hash || g.String() != a.String() {
				t.Fatalf("frame %d: %s, then %s", i, a, g)
			}
		}
	})
}
