package audit

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestAppendAndVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		l := newLog(db, 1500*time.Microsecond)
		rep, err := l.Verify(ctx)
		if err != nil || !rep.OK || rep.Records != 0 || rep.HeadHash != GenesisHash {
			t.Fatalf("empty trail: %+v %v", rep, err)
		}
		appendN(t, l, 5)
		// Odd input is stored as valid text, and still verifies.
		if err := l.Append(ctx, Record{Actor: "x\x00y", Object: "bank:\xff\xfe", Detail: strings.Repeat("é", 5000), ID: 99, Hash: "forged"}); err != nil {
			t.Fatal(err)
		}
		rep, err = l.Verify(ctx)
		if err != nil || !rep.OK || rep.Records != 6 || rep.HeadID != 6 {
			t.Fatalf("verify: %+v %v", rep, err)
		}
		id, hash, err := l.Head(ctx)
		if err != nil || id != 6 || hash != rep.HeadHash {
			t.Errorf("head %d %s, report %+v", id, hash, rep)
		}
		recs, err := l.List(ctx, Filter{Limit: 1})
		if err != nil || len(recs) != 1 {
			t.Fatal(recs, err)
		}
		if r := recs[0]; r.ID != 6 || r.Actor != "x\uFFFDy" || len(r.Detail) > maxDetail || !strings.HasSuffix(r.Detail, "…") {
			t.Errorf("cleaned record: %+v", r)
		}
		if rep, err := l.Verify(ctx, Anchor{ID: 3, Hash: "00"}); err != nil || rep.OK || rep.BrokenID != 3 {
			t.Errorf("wrong anchor: %+v %v", rep, err)
		}
		// The schema refuses changes to records.
		if _, err := db.Exec(ctx, `UPDATE audit_log SET detail = 'x' WHERE id = 1`); err == nil {
			t.Error("UPDATE of a record was allowed")
		}
		if _, err := db.Exec(ctx, `DELETE FROM audit_log WHERE id = 1`); err == nil {
			t.Error("DELETE of a record was allowed")
		}
	})
}

// TestVerifyCatchesTampering changes the trail directly in the database, as
// someone with access to it could, and checks that Verify names the record.
func TestVerifyCatchesTampering(t *testing.T) {
	// Swapping two records' positions: the IDs trade places.
	swap := []string{`UPDATE audit_log SET id = -3 WHERE id = 3`, `UPDATE audit_log SET id = 3 WHERE id = 4`, `UPDATE audit_log SET id = 4 WHERE id = -3`}
	tests := []struct {
		name    string
		sql     []string
		anchor  *Anchor // the head before tampering, when set
		broken  int64
		problem string
	}{
		{"edit", []string{`UPDATE audit_log SET result = 'ok', detail = 'nothing to see' WHERE id = 4`}, nil, 4, "edited"},
		{"edit and rehash", []string{`UPDATE audit_log SET actor = 'mallory', hash = 'ffff' WHERE id = 4`}, nil, 4, "edited"},
		{"remove", []string{`DELETE FROM audit_log WHERE id = 4`}, nil, 4, "missing"},
		{"swap", swap, nil, 3, "reordered"},
		{"remove newest", []string{`DELETE FROM audit_log WHERE id = 6`}, nil, 6, "missing"},
		{"remove newest and rewrite head", []string{`DELETE FROM audit_log WHERE id = 6`,
			`UPDATE audit_head SET last_id = 5, last_hash = (SELECT hash FROM audit_log WHERE id = 5)`}, &Anchor{}, 6, "anchored record missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := t.Context()
				l := newLog(db, time.Second)
				appendN(t, l, 6)
				var anchors []Anchor
				if tc.anchor != nil {
					rep, err := l.Verify(ctx)
					if err != nil || !rep.OK {
						t.Fatal(rep, err)
					}
					anchors = append(anchors, Anchor{ID: rep.HeadID, Hash: rep.HeadHash})
				}
				allowTampering(t, db)
				for _, q := range tc.sql {
					if _, err := db.Exec(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				if tc.anchor != nil {
					// Without the anchor the cut is invisible, as documented.
					if rep, err := l.Verify(ctx); err != nil || !rep.OK {
						t.Errorf("without anchor: %+v %v", rep, err)
					}
				}
				rep, err := l.Verify(ctx, anchors...)
				if err != nil {
					t.Fatal(err)
				}
				if rep.OK || rep.BrokenID != tc.broken || !strings.Contains(rep.Problem, tc.problem) {
					t.Errorf("got %s, want record %d %q", rep, tc.broken, tc.problem)
				}
			})
		})
	}
}

// allowTampering drops the guards that refuse UPDATE and DELETE, as an
// attacker owning the database could.
func allowTampering(t *testing.T, db *store.DB) {
	t.Helper()
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if db.Dialect == store.Postgres {
		stmts = []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}
	}
	for _, s := range stmts {
		if _, err := db.Exec(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestConcurrentAppends appends from many goroutines through two Logs on
// two connections pools, as two Haven nodes would, and checks that the
// chain stays linear.
func TestConcurrentAppends(t *testing.T) {
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		var logs []*Log
		for range 2 {
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			logs = append(logs, New(db))
		}
		const workers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					errs <- logs[w%2].Append(ctx, Record{Actor: fmt.Sprintf("w%d", w), Action: "match", Object: fmt.Sprint(i), Result: OK})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		rep, err := logs[0].Verify(ctx)
		if err != nil || !rep.OK || rep.Records != workers*each {
			t.Fatalf("after concurrent appends: %s (%d records), %v", rep, rep.Records, err)
		}
	})
}

func TestAppendAll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		l := newLog(db, time.Second)
		appendN(t, l, 2)
		recs := make([]Record, 700) // more than one batch, several statements
		for i := range recs {
			recs[i] = Record{Actor: "token:scanner", Action: "match", Object: fmt.Sprint(i), Result: OK}
		}
		if err := l.AppendAll(ctx, recs); err != nil {
			t.Fatal(err)
		}
		appendN(t, l, 1)
		rep, err := l.Verify(ctx)
		if err != nil || !rep.OK || rep.Records != 703 {
			t.Fatalf("%s (%d records), %v", rep, rep.Records, err)
		}
		got, err := l.List(ctx, Filter{Actor: "token:scanner", Limit: 1})
		if err != nil || len(got) != 1 || got[0].ID != 702 || got[0].Object != "699" {
			t.Errorf("last of the batch: %+v %v", got, err)
		}
	})
}
