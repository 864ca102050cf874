// Package formattest holds what the format packages' tests share: reading
// a whole stream, golden files with -update, the invariants every fuzz
// target checks, and round trips. Only tests import it.
package formattest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/vpdq"
)

// Update makes Golden rewrite its files: go test ./internal/bank/formats/... -update
var Update = flag.Bool("update", false, "rewrite golden files")

// ReadAll reads every entry, collecting rejections, up to a fatal error.
func ReadAll(tb testing.TB, r codec.Reader) (entries []model.Entry, rejected []*codec.RecordError, fatal error) {
	tb.Helper()
	for {
		e, err := r.Next()
		if err == io.EOF {
			return entries, rejected, nil
		}
		var re *codec.RecordError
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

// Golden compares got with testdata/golden/<name>, or writes it with -update.
func Golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run with -update if intended):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// Drain is the body of every reader fuzz target: it reads to the end and
// checks the contract. A reader must make progress (bounded calls), hand on
// only valid signals or tombstones, keep Extra valid JSON, give reasons
// with rejections, and repeat a fatal error.
func Drain(t *testing.T, data []byte, open func(io.Reader) (codec.Reader, error)) {
	r, err := open(bytes.NewReader(data))
	if err != nil {
		return
	}
	limit := 4*len(data) + 64
	for i := 0; ; i++ {
		if i > limit {
			t.Fatalf("no end after %d calls on %d bytes", i, len(data))
		}
		e, err := r.Next()
		if err == io.EOF {
			if _, err2 := r.Next(); err2 != io.EOF {
				t.Fatalf("Next after EOF: %v", err2)
			}
			return
		}
		var re *codec.RecordError
		if errors.As(err, &re) {
			if re.Err == nil {
				t.Fatalf("rejection without reason")
			}
			continue
		}
		if err != nil {
			if _, err2 := r.Next(); err2 == nil || err2 == io.EOF {
				t.Fatalf("fatal %v, then %v", err, err2)
			}
			return
		}
		CheckEntry(t, e)
	}
}

// CheckEntry checks what every reader promises about an entry.
func CheckEntry(tb testing.TB, e model.Entry) {
	tb.Helper()
	if e.Signal == (signal.Signal{}) {
		if e.Withdrawn == nil || e.SourceID == "" {
			tb.Fatalf("entry without signal is not a tombstone with an id: %+v", e)
		}
	} else if v, err := signal.Normalize(e.Signal.Kind, e.Signal.Value); err != nil || v != e.Signal.Value {
		tb.Fatalf("entry signal %q not canonical: %v", e.Signal, err)
	} else if e.Signal.Kind == signal.VPDQ {
		if v, err := vpdq.CanonicalSignal(e.Signal.Value); err != nil || v != e.Signal.Value {
			tb.Fatalf("vpdq signal %.80q not canonical: %v", e.Signal.Value, err)
		}
	}
	if len(e.Extra) > 0 && !json.Valid(e.Extra) {
		tb.Fatalf("Extra is not JSON: %q", e.Extra)
	}
	if !e.Category.IsZero() {
		if _, err := model.NewCategory(e.Category.Scheme, e.Category.Value); err != nil {
			tb.Fatalf("category: %v", err)
		}
	}
}

// Write writes entries with w and closes it, failing on any error.
func Write(tb testing.TB, w codec.Writer, entries []model.Entry) {
	tb.Helper()
	for _, e := range entries {
		if err := w.Write(e); err != nil {
			tb.Fatalf("write %s: %v", e.Signal, err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
}

// Summary is an entry with Extra compacted and times in UTC, for
// comparing round trips.
func Summary(e model.Entry) model.Entry {
	if len(e.Extra) > 0 {
		var b bytes.Buffer
		if json.Compact(&b, e.Extra) == nil {
			e.Extra = b.Bytes()
		}
	}
	e.AddedAt = e.AddedAt.UTC()
	if e.Withdrawn != nil {
		w := e.Withdrawn.UTC()
		e.Withdrawn = &w
	}
	return e
}
