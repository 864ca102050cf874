package vics_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/vics"
	"github.com/havenproject/haven/internal/bank/model"
)

const (
	md5a  = "0123456789abcdef0123456789abcdef"
	md5b  = "fedcba9876543210fedcba9876543210"
	sha1a = "0123456789abcdef0123456789abcdef01234567"
	pdqa  = "facd8bcb2a49bcebdec1985298d5fe84bcd006c187c598c720c3c087b3fdb318"
	ctxUS = `"@odata.context":"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media"`
	ctxUK = `"@odata.context":"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/UK/$metadata#Cases"`
)

func read(t *testing.T, doc string, opt codec.Options) ([]model.Entry, []*codec.RecordError) {
	t.Helper()
	r, err := vics.NewReader(strings.NewReader(doc), opt)
	if err != nil {
		t.Fatal(err)
	}
	entries, rejected, err := formattest.ReadAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		formattest.CheckEntry(t, e)
	}
	return entries, rejected
}

// sigs lists the entries' signals as kind:value.
func sigs(entries []model.Entry) []string {
	var s []string
	for _, e := range entries {
		s = append(s, e.Signal.String())
	}
	return s
}

func TestCategory(t *testing.T) {
	doc := `{` + ctxUS + `,"value":[
{"MD5":"` + md5a + `","Category":0},
{"MD5":"` + md5b + `","Category":null},
{"MD5":"` + md5a[:31] + `1"},
{"MD5":"` + md5b[:31] + `1","Category":"2"},
{"MD5":"` + md5a[:31] + `2","Category":8}]}`
	entries, rej := read(t, doc, codec.Options{})
	if len(rej) != 0 || len(entries) != 5 {
		t.Fatalf("entries %d, rejected %v", len(entries), rej)
	}
	want := []string{"vics-us:0", "uncategorised", "uncategorised", "vics-us:2", "uncategorised"}
	for i, e := range entries {
		if e.Category.String() != want[i] {
			t.Errorf("%d: category %s, want %s", i, e.Category, want[i])
		}
	}
	// null and 8 are kept as written, absent stays absent.
	if !strings.Contains(string(entries[1].Extra), `"Category":null`) || entries[2].Extra != nil ||
		!strings.Contains(string(entries[4].Extra), `"Category":8`) {
		t.Errorf("extra: %s | %s | %s", entries[1].Extra, entries[2].Extra, entries[4].Extra)
	}
}

func TestSchemeFromOptionsAndProfile(t *testing.T) {
	v12 := `{"odata.metadata":"http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Media","value":[{"MD5":"` + md5a + `","Category":1}]}`
	if e, _ := read(t, v12, codec.Options{}); !e[0].Category.IsZero() {
		t.Errorf("1.2 without scheme: %s", e[0].Category)
	}
	if e, _ := read(t, v12, codec.Options{Scheme: model.SchemeVICSUS}); e[0].Category.String() != "vics-us:1" {
		t.Errorf("1.2 with US: %s", e[0].Category)
	}
	// The file's explicit profile wins over the option.
	uk := `{` + ctxUK + `,"value":[{"CaseID":"{0000}","Media":[{"MD5":"` + md5a + `","Category":6}]}]}`
	if e, _ := read(t, uk, codec.Options{Scheme: model.SchemeVICSUS}); e[0].Category.String() != "vics-uk:6" {
		t.Errorf("UK profile: %s", e[0].Category)
	}
}

func TestQuirks(t *testing.T) {
	// Clees4All's string flags and "+01:00Z" dates, GLEAPP's Tags array and
	// upper-case hex, lower-case keys as IPED accepts, PDQ, SHA1 and
	// PhotoDNA among AlternativeHashes, MediaSize as a string.
	doc := `{` + ctxUS + `,"value":[
{"md5":"` + strings.ToUpper(md5a) + `","VictimIdentified":"True","OffenderIdentified":"false","SelfGenerated":true,
 "IsDistributed":null,"Tags":"series A; outdoor ,x","Series":"S1","DateUpdated":"2019-03-01T10:00:00.000+01:00Z",
 "MediaSize":"216066696","PhotoDNA":"AAAA",
 "AlternativeHashes":[{"HashName":"PDQ","HashValue":"` + strings.ToUpper(pdqa) + `"},{"HashName":"SHA1","HashValue":"` + sha1a + `"},
   {"HashName":"PhotoDNA","HashValue":"BBBB"},{"HashName":"MD5","HashValue":"` + md5a + `"}]},
{"MD5":"","Tags":["a"," b ",""],"AlternativeHashes":[{"HashName":"pdq","HashValue":"` + pdqa + `"}]}]}`
	entries, rej := read(t, doc, codec.Options{})
	if len(rej) != 0 {
		t.Fatal(rej)
	}
	want := []string{"md5:" + md5a, "sha1:" + sha1a, "pdq:" + pdqa, "pdq:" + pdqa}
	if got := sigs(entries); !slices.Equal(got, want) {
		t.Fatalf("signals %v, want %v", got, want)
	}
	e := entries[0]
	if *e.VictimIdentified != true || *e.OffenderIdentified != false || *e.SelfGenerated != true || e.Distributed != nil {
		t.Errorf("flags %+v", e.Flags)
	}
	if !slices.Equal(e.Tags, []string{"series A", "outdoor", "x"}) || e.Series != "S1" || e.SourceID != md5a {
		t.Errorf("tags %q series %q source %q", e.Tags, e.Series, e.SourceID)
	}
	if got := e.AddedAt.UTC().Format("2006-01-02T15:04"); got != "2019-03-01T09:00" {
		t.Errorf("DateUpdated → %s", got)
	}
	for _, s := range []string{`"MediaSize":"216066696"`, `"PhotoDNA":"AAAA"`, `"HashName":"PhotoDNA"`} {
		if !strings.Contains(string(e.Extra), s) {
			t.Errorf("Extra lacks %s: %s", s, e.Extra)
		}
	}
	if entries[1].Extra != nil || entries[2].Extra != nil || entries[2].SourceID != md5a || *entries[2].VictimIdentified != true {
		t.Errorf("later entries of a Media: %+v", entries[2])
	}
	if last := entries[3]; !slices.Equal(last.Tags, []string{"a", "b"}) || last.SourceID != pdqa {
		t.Errorf("MD5-less media: tags %q source %q", last.Tags, last.SourceID)
	}
}

func TestCasesBodies(t *testing.T) {
	media := func(md5 string) string { return `{"MD5":"` + md5 + `","Category":1}` }
	tests := []struct{ name, doc string }{
		{"Clees4All UK #Cases", `{` + ctxUK + `,"value":[{"CaseID":"{8F1A2B3C-0000-0000-0000-000000000000}","SourceApplicationName":"Clees4All",
"Media":[` + media(md5a) + `],"TotalMediaFiles":1},{"CaseNumber":"2","Media":[],"Media2":[]},{"Media":[` + media(md5b) + `]}]}`},
		{"RECON LAB 2.0 CUSTOM #Media over a Cases body", `{"@odata.context":"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/CUSTOM/$metadata#Media",
"value":[{"Agency":"x","Case No.":"1","TotalMediaFiles":"2","Media":[` + media(md5a) + `,` + media(md5b) + `],"Case Notes":"n"}]}`},
		{"1.3 #Cases, value before context", `{"value":[{"Media":[` + media(md5a) + `,` + media(md5b) + `]}],
"odata.metadata":"http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Cases"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			entries, rej := read(t, tc.doc, codec.Options{})
			if got := sigs(entries); len(rej) != 0 || !slices.Equal(got, []string{"md5:" + md5a, "md5:" + md5b}) {
				t.Errorf("signals %v, rejected %v", got, rej)
			}
		})
	}
}

func TestEncodings(t *testing.T) {
	doc := `{` + ctxUS + `,"value":[{"MD5":"` + md5a + `","Comments":"Ünïcødé"}]}`
	u16 := func(bom bool, le bool) []byte {
		var b bytes.Buffer
		var order binary.ByteOrder = binary.BigEndian
		if le {
			order = binary.LittleEndian
		}
		if bom {
			binary.Write(&b, order, uint16(0xFEFF))
		}
		for _, u := range utf16.Encode([]rune(doc)) {
			binary.Write(&b, order, u)
		}
		return b.Bytes()
	}
	for name, in := range map[string][]byte{
		"utf-8 BOM":      append([]byte("\xEF\xBB\xBF"), doc...),
		"utf-16le BOM":   u16(true, true),
		"utf-16be BOM":   u16(true, false),
		"utf-16le plain": u16(false, true),
	} {
		r, err := vics.NewReader(bytes.NewReader(in), codec.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		entries, _, err := formattest.ReadAll(t, r)
		if err != nil || len(entries) != 1 || !strings.Contains(string(entries[0].Extra), "Ünïcødé") {
			t.Errorf("%s: %v %v", name, err, entries)
		}
	}
}

func TestRejections(t *testing.T) {
	doc := `{` + ctxUS + `,"value":[
{"MD5":"` + md5a + `","md5":"` + md5b + `"},
{"MD5":"xyz"},
{"MD5":"` + md5a + `","AlternativeHashes":[{"HashName":"PDQ","HashValue":"abc"}]},
"not a media",
[1,2],
{"Comments":"no hash"},
{"MD5":"` + md5a + `","VictimIdentified":"maybe"},
{"MD5":"` + md5b + `"}]}`
	entries, rej := read(t, doc, codec.Options{})
	if len(entries) != 1 || entries[0].Signal.Value != md5b {
		t.Errorf("entries %v", sigs(entries))
	}
	wantLines := []int{2, 3, 4, 5, 6, 7, 8}
	if len(rej) != len(wantLines) {
		t.Fatalf("rejected %d: %v", len(rej), rej)
	}
	for i, re := range rej {
		if re.Line != wantLines[i] || re.Offset == 0 {
			t.Errorf("rejection %d at line %d byte %d, want line %d: %v", i, re.Line, re.Offset, wantLines[i], re)
		}
	}
	if !errors.Is(rej[0], codec.ErrDuplicateKey) {
		t.Errorf("duplicate key: %v", rej[0])
	}
}

func TestFatal(t *testing.T) {
	big := strings.Repeat("a", 10<<20)
	tests := []struct {
		name, doc string
		want      error
		line      int
		before    int // entries handed on before the error
	}{
		{"truncated in a media", `{` + ctxUS + `,"value":[` + "\n" + `{"MD5":"` + md5a + `"},` + "\n" + `{"MD5":"` + md5b, codec.ErrTruncated, 3, 1},
		{"truncated after the array", `{` + ctxUS + `,"value":[{"MD5":"` + md5a + `"}]`, codec.ErrTruncated, 1, 1},
		{"no value", `{` + ctxUS + `}`, codec.ErrNotFormat, 1, 0},
		{"array at top", `[{"MD5":"` + md5a + `"}]`, codec.ErrNotFormat, 1, 0},
		{"data after the end", `{"value":[]}{}`, nil, 1, 0},
		{"bad JSON inside", `{"value":[` + "\n\n" + `{"MD5":"` + md5a + `",}]}`, nil, 3, 0},
		{"10 MB string", `{"value":[{"MD5":"` + md5a + `"},` + "\n" + `{"Comments":"` + big + `"}]}`, codec.ErrTooLong, 2, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := vics.NewReader(strings.NewReader(tc.doc), codec.Options{})
			var entries []model.Entry
			if err == nil {
				entries, _, err = formattest.ReadAll(t, r)
			}
			var fe *codec.FatalError
			if !errors.As(err, &fe) || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("err = %v, want a FatalError %v", err, tc.want)
			}
			if fe.Line != tc.line || len(entries) != tc.before {
				t.Errorf("line %d after %d entries, want line %d after %d: %v", fe.Line, len(entries), tc.line, tc.before, err)
			}
			t.Log(err)
		})
	}
}

func TestContext(t *testing.T) {
	for u, want := range map[string]string{
		"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media": "2.0 US Media vics-us",
		"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/UK/$metadata#Cases": "2.0 UK Cases vics-uk",
		"http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media":                      "1.3  Media ",
	} {
		c := vics.ParseContext(u)
		if got := fmt.Sprintf("%s %s %s %s", c.Version, c.Profile, c.Fragment, c.Scheme()); got != want {
			t.Errorf("%s: %q, want %q", u, got, want)
		}
	}
}
