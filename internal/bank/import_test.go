package bank_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// fullEntry sets every field Import keeps.
func fullEntry() bank.Entry {
	cat, _ := bank.NewCategory(bank.SchemeNCMEC, "a1")
	return bank.Entry{
		Signal:   signal.Signal{Kind: signal.PDQ, Value: strings.ToUpper(hexOf(3, 64))},
		Quality:  ptr(87),
		Category: cat,
		Series:   "series-7",
		Flags:    bank.Flags{VictimIdentified: ptr(true), SelfGenerated: ptr(false)},
		SourceID: "ncmec:123",
		Tags:     []string{"a", "b c"},
		AddedBy:  "analyst-1",
		AddedAt:  time.Date(2023, 5, 6, 7, 8, 9, 123456789, time.FixedZone("x", 3600)),
		Extra:    json.RawMessage(`{"MediaID":12,"a":[1, 2]}`),
	}
}

func TestImportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := newService(t, db, "b")
		vpdq := "0001,63," + hexOf(1, 64) + ",0.000\n0002,80," + hexOf(2, 64) + ",0.033"
		src := &sliceSource{entries: []bank.Entry{
			fullEntry(),
			{Signal: sig(signal.MD5, 1)},
			{Signal: sig(signal.SHA1, 2)},
			{Signal: sig(signal.SHA256, 3)},
			{Signal: signal.Signal{Kind: signal.VPDQ, Value: vpdq}},
		}}
		res, err := s.Import(ctx, "b", src, bank.ImportOptions{AddedBy: "importer"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 5 || res.Records != 5 || res.Seq != 2 {
			t.Errorf("result %+v", res)
		}
		var got []bank.Entry
		if err := s.Export(ctx, "b", bank.ExportOptions{}, func(e *bank.Entry) error { got = append(got, *e); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 5 {
			t.Fatalf("exported %d entries", len(got))
		}
		want := fullEntry()
		want.ID, want.BankID, want.Seq = got[0].ID, res.BankID, 2
		want.Signal.Value = strings.ToLower(want.Signal.Value)
		want.Category.Value = "A1"
		want.AddedAt = time.Date(2023, 5, 6, 6, 8, 9, 123456000, time.UTC)
		if !reflect.DeepEqual(got[0], want) {
			t.Errorf("entry\n got %+v\nwant %+v", got[0], want)
		}
		if got[1].AddedBy != "importer" || got[1].AddedAt.IsZero() || got[1].Quality != nil || got[1].VictimIdentified != nil ||
			got[1].Tags != nil || got[1].Extra != nil {
			t.Errorf("defaults: %+v", got[1])
		}
		// vPDQ is stored in the reference's text format, canonical numbers.
		canonical := "1,63," + hexOf(1, 64) + ",0.000\n2,80," + hexOf(2, 64) + ",0.033"
		if got[4].Signal.Value != canonical || got[3].Signal != sig(signal.SHA256, 3) {
			t.Errorf("values: %v %v", got[4].Signal, got[3].Signal)
		}
	})
}

func TestImportRejections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := newService(t, db, "b")
		entries := []bank.Entry{
			{Signal: sig(signal.MD5, 1)},
			{}, // replaced by a rejected-record error
			{Signal: signal.Signal{Kind: signal.MD5, Value: "xyz"}},
			{Signal: sig(signal.MD5, 2), Category: bank.Category{Scheme: bank.SchemeUK, Value: "Z"}},
			{Signal: sig(signal.MD5, 3), Series: "nul\x00"},
			{Signal: sig(signal.MD5, 4), Extra: json.RawMessage(`{`)},
			{Signal: sig(signal.MD5, 5), Quality: ptr(101)},
			{Signal: sig(signal.MD5, 1)}, // duplicate of the first
			{Signal: sig(signal.MD5, 6)},
		}
		src := &sliceSource{entries: entries, errs: map[int]error{1: rejected{line: 2}}}
		res, err := s.Import(ctx, "b", src, bank.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Records != 9 || res.Inserted != 2 || res.Duplicates != 1 || res.Rejected != 6 || len(res.Rejections) != 6 {
			t.Fatalf("result %+v", res)
		}
		var records []int64
		for _, r := range res.Rejections {
			records = append(records, r.Record)
		}
		if !reflect.DeepEqual(records, []int64{2, 3, 4, 5, 6, 7}) {
			t.Errorf("rejected records %v", records)
		}
		if !errors.As(res.Rejections[0].Err, new(rejected)) || !errors.Is(res.Rejections[1].Err, signal.ErrValue) ||
			!errors.Is(res.Rejections[2].Err, bank.ErrCategory) {
			t.Errorf("rejections %v", res.Rejections)
		}

		// Re-importing adds nothing and leaves Seq alone.
		again, err := s.Import(ctx, "b", &sliceSource{entries: entries[:1]}, bank.ImportOptions{})
		if err != nil || again.Inserted != 0 || again.Duplicates != 1 || again.Seq != res.Seq {
			t.Errorf("re-import %+v, %v (first seq %d)", again, err, res.Seq)
		}

		// Too many rejections keep nothing.
		src = &sliceSource{entries: entries, errs: map[int]error{1: rejected{line: 2}}}
		_, err = s.Import(ctx, "b", src, bank.ImportOptions{MaxRejected: 2, KeepRejections: 1})
		if !errors.Is(err, bank.ErrTooManyRejected) {
			t.Errorf("max rejected: %v", err)
		}
	})
}

func TestImportAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := newService(t, db, "b")
		if _, err := s.Import(ctx, "b", newRandomSource(10, 1), bank.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		before := stats(t, s, "b")

		// A fatal source error after several batches.
		src := &fatalAfter{src: newRandomSource(2500, 2), n: 2300}
		_, err := s.Import(ctx, "b", src, bank.ImportOptions{BatchSize: 100})
		if !errors.Is(err, errFatal) {
			t.Errorf("fatal: %v", err)
		}
		// A cancelled context.
		cctx, cancel := context.WithCancel(ctx)
		var p bank.ImportProgress
		src = &fatalAfter{src: newRandomSource(5000, 3), n: 4000, hook: func() { cancel() }}
		_, err = s.Import(cctx, "b", src, bank.ImportOptions{BatchSize: 100, Progress: &p})
		if !errors.Is(err, context.Canceled) || p.Inserted.Load() < 1000 {
			t.Errorf("cancel: %v after %d inserted", err, p.Inserted.Load())
		}
		// A missing bank.
		if _, err := s.Import(ctx, "nope", newRandomSource(1, 4), bank.ImportOptions{}); !errors.Is(err, bank.ErrNotFound) {
			t.Errorf("missing bank: %v", err)
		}
		if after := stats(t, s, "b"); !reflect.DeepEqual(after, before) {
			t.Errorf("stats changed:\n%+v\n%+v", before, after)
		}
	})
}

// fatalAfter passes n entries of src through, then calls hook (if any) or
// fails with errFatal.
type fatalAfter struct {
	src  bank.EntrySource
	n    int
	hook func()
}

func (f *fatalAfter) Next() (bank.Entry, error) {
	if f.n == 0 {
		if f.hook == nil {
			return bank.Entry{}, errFatal
		}
		f.hook()
	}
	f.n--
	return f.src.Next()
}

func stats(t *testing.T, s *bank.Service, name string) bank.Stats {
	t.Helper()
	st, err := s.Stats(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
