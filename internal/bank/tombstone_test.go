package bank_test

import (
	"testing"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// TestImportTombstones checks that a source's withdrawals (StopNCII's
// Withdrawn records, NCMEC's deletedImage) withdraw entries, by hash or by
// the source's id, within the same all-or-nothing import, including
// entries added earlier in the same input.
func TestImportTombstones(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := newService(t, db, "b")
		importEntries(t, s, "b",
			bank.Entry{Signal: sig(signal.PDQ, 1)},
			bank.Entry{Signal: sig(signal.MD5, 2), SourceID: "ncmec:42-7"},
		)
		when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		res, err := s.Import(ctx, "b", &sliceSource{entries: []bank.Entry{
			{Signal: sig(signal.PDQ, 3)},                    // added ...
			{Signal: sig(signal.PDQ, 3), Withdrawn: &when},  // ... and withdrawn in the same file
			{Signal: sig(signal.PDQ, 1), Withdrawn: &when},  // by hash
			{SourceID: "ncmec:42-7", Withdrawn: &when},      // by source id, no hash
			{Signal: sig(signal.SHA1, 9), Withdrawn: &when}, // unknown: withdraws nothing
			{Signal: sig(signal.PDQ, 4)},
		}}, bank.ImportOptions{AddedBy: "importer"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Records != 6 || res.Inserted != 2 || res.Tombstones != 4 || res.Withdrawn != 3 {
			t.Errorf("result %+v", res)
		}
		st := stats(t, s, "b")
		if st.Active != 1 || st.Withdrawn != 3 {
			t.Errorf("stats: %d active, %d withdrawn; want 1 and 3", st.Active, st.Withdrawn)
		}
		var withdrawn []bank.Entry
		err = s.Export(ctx, "b", bank.ExportOptions{IncludeWithdrawn: true}, func(e *bank.Entry) error {
			if !e.Active() {
				withdrawn = append(withdrawn, *e)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range withdrawn {
			if !e.Withdrawn.Equal(when) || e.WithdrawnBy != "importer" || e.WithdrawnReason == "" {
				t.Errorf("tombstone %+v", e)
			}
		}
		// A tombstone that names nothing at all is refused, and the import
		// with it keeps nothing.
		before := stats(t, s, "b")
		if _, err := s.Import(ctx, "b", &sliceSource{entries: []bank.Entry{
			{Signal: sig(signal.PDQ, 5)},
			{Withdrawn: &when},
		}}, bank.ImportOptions{}); err == nil {
			t.Error("a tombstone naming nothing was accepted")
		}
		if after := stats(t, s, "b"); after.Active != before.Active || after.Seq != before.Seq {
			t.Errorf("failed import changed the bank: %+v -> %+v", before, after)
		}
	})
}
