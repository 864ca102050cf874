package formats

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// readAll reads every entry, counting rejections; it stops at a fatal error.
func readAll(t testing.TB, r Reader) (entries []model.Entry, rejected []*RecordError, fatal error) {
	t.Helper()
	for {
		e, err := r.Next()
		if err == io.EOF {
			return entries, rejected, nil
		}
		var re *RecordError
		if errors.As(err, &re) {
			rejected = append(rejected, re)
			continue
		}
		if err != nil {
			return entries, rejected, err
		}
		entries = append(entries, e)
	}
}

// TestSharedFiles imports every file other tools wrote (testdata/shared,
// a copy of ../shared/testdata/formats) with the counts its README implies,
// or checks that it is refused for the reason the README gives.
func TestSharedFiles(t *testing.T) {
	tests := []struct {
		file      string
		format    string // "" when Detect must not recognise it
		entries   int
		rejected  int
		tombstone int
		kinds     []signal.Kind
		refuse    error // NewReader or reading fails with this
	}{
		{"vics/nsrl-caid-vics-1.2-media-art.json", VICS, 2, 0, 0, []signal.Kind{signal.MD5, signal.SHA1}, nil},
		{"vics/nsrl-caid-vics-1.2-media-mov.json", VICS, 18, 0, 0, []signal.Kind{signal.MD5, signal.SHA1}, nil},
		{"vics/nsrl-caid-vics-1.2-media-avi.json", VICS, 60, 0, 0, []signal.Kind{signal.MD5, signal.SHA1}, nil},
		{"vics/nsrl-caid-vics-1.2-media-wmv.json", VICS, 190, 0, 0, []signal.Kind{signal.MD5, signal.SHA1}, nil},
		{"vics/projectvic-datamodel-2.0-odata-csdl.xml", "", 0, 0, 0, nil, ErrNotFormat},
		{"c4all/c4p-index-utf16-declared-ascii-bytes.xml", C4P, 30, 0, 0, []signal.Kind{signal.MD5}, nil},
		{"ncmec/entries-page1-images-videos-deleted-feedback.xml", NCMEC, 6, 0, 2, []signal.Kind{signal.MD5, signal.SHA1}, nil},
		{"ncmec/entries-page2-empty-feedback-element.xml", NCMEC, 2, 0, 0, []signal.Kind{signal.MD5, signal.SHA1}, nil},
		{"ncmec/entries-empty-count-zero.xml", NCMEC, 0, 0, 0, nil, nil},
		{"ncmec/status.xml", "", 0, 0, 0, nil, ErrNotFormat},
		{"ncmec/feedback-available-reasons.xml", "", 0, 0, 0, nil, ErrNotFormat},
		{"ncmec/feedback-submission-affirmative.xml", "", 0, 0, 0, nil, ErrNotFormat},
		{"ncmec/feedback-submission-negative.xml", "", 0, 0, 0, nil, ErrNotFormat},
		{"stopncii/fetch-hashes-page1-has-more-records.json", StopNCII, 2, 0, 0, []signal.Kind{signal.PDQ}, nil},
		{"stopncii/fetch-hashes-page2-last-with-csp-feedback.json", StopNCII, 1, 0, 0, []signal.Kind{signal.PDQ}, nil},
		{"stopncii/submit-feedback-request.json", "", 0, 0, 0, nil, ErrNotFormat},
		{"threatexchange/pytx-dataset-csv-sample-signals.csv", TECSV, 138, 0, 0, []signal.Kind{signal.PDQ}, nil},
		{"threatexchange/te-bulk-upload-with-comments.csv", TECSV, 0, 2, 0, nil, nil},
		{"threatexchange/graph-api-descriptor-readback-hash-sha1.json", TEGraph, 1, 0, 0, []signal.Kind{signal.SHA1}, nil},
		{"hma/match-compare-request.json", "", 0, 0, 0, nil, nil},
		{"hma/match-compare-response.json", "", 0, 0, 0, nil, nil},
		{"hma/curate-bank-create-response.json", "", 0, 0, 0, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "shared", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := Detect(b[:min(len(b), DetectSize)])
			if got != tc.format || ok != (tc.format != "") {
				t.Errorf("Detect = %q, %v; want %q", got, ok, tc.format)
			}
			name := tc.format
			if name == "" {
				name = refuser(tc.file)
				if name == "" {
					return // not a hash list of any kind: Detect's refusal is the test
				}
			}
			f, _ := os.Open(filepath.Join("testdata", "shared", tc.file))
			defer f.Close()
			r, err := NewReader(name, f, Options{})
			var entries []model.Entry
			var rejected []*RecordError
			if err == nil {
				entries, rejected, err = readAll(t, r)
			}
			if tc.refuse != nil {
				if !errors.Is(err, tc.refuse) {
					t.Fatalf("err = %v, want %v", err, tc.refuse)
				}
				t.Logf("refused: %v", err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tomb := 0
			for _, e := range entries {
				if e.Withdrawn != nil {
					tomb++
					continue
				}
				if !slices.Contains(tc.kinds, e.Signal.Kind) {
					t.Errorf("entry %s: unexpected kind", e.Signal)
				}
			}
			if len(entries) != tc.entries || len(rejected) != tc.rejected || tomb != tc.tombstone {
				t.Errorf("entries %d, rejected %d, tombstones %d; want %d, %d, %d", len(entries), len(rejected), tomb, tc.entries, tc.rejected, tc.tombstone)
			}
			for _, re := range rejected {
				if re.Line == 0 || re.Err == nil {
					t.Errorf("rejection without position or reason: %v", re)
				}
				t.Logf("rejected: %v", re)
			}
		})
	}
}

// refuser is the reader a file that Detect refuses is handed to, to check
// that the reader refuses it too.
func refuser(file string) string {
	switch filepath.Dir(file) {
	case "vics":
		return VICS
	case "ncmec":
		return NCMEC
	case "stopncii":
		return StopNCII
	}
	return ""
}

func TestFormatsRegistry(t *testing.T) {
	if _, err := NewReader("nope", nil, Options{}); !errors.Is(err, ErrFormat) {
		t.Errorf("unknown reader: %v", err)
	}
	if _, err := NewWriter(NCMEC, io.Discard, Options{}); !errors.Is(err, ErrNoWriter) {
		t.Errorf("ncmec writer: %v", err)
	}
	if len(Formats()) != len(registry) || !slices.IsSorted(Formats()) {
		t.Errorf("Formats() = %v", Formats())
	}
}
