package audit

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// BenchmarkAppend measures appends from 64 concurrent callers, as audited
// requests make them, on each database.
func BenchmarkAppend(b *testing.B) {
	for _, d := range []struct{ name, dsn string }{
		{"sqlite", filepath.Join(b.TempDir(), "data")},
		{"postgres", storetest.PostgresURL()},
	} {
		b.Run(d.name, func(b *testing.B) {
			if d.dsn == "" {
				b.Skip("no PostgreSQL")
			}
			db, err := store.Open(context.Background(), d.dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			l := New(db)
			r := Record{Actor: "token:scanner", Org: "platform-a", Role: "partner", Action: "match",
				Object: "pdq:d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22", Result: OK, Remote: "192.0.2.1"}
			b.SetParallelism(32) // × GOMAXPROCS callers
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := l.Append(context.Background(), r); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkVerify measures a walk of a 20,000-record trail on SQLite; the
// figure per record says how long verifying a large trail takes.
func BenchmarkVerify(b *testing.B) {
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "data"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	l := New(db)
	const n = 20000
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = Record{Actor: "token:scanner", Org: "platform-a", Role: "partner", Action: "match", Object: "/m/lookup 200", Result: OK, Remote: "192.0.2.1",
			Detail: "token 7 used 1234 times from 2026-11-29T12:00:00Z to 2026-11-29T12:00:01Z"}
	}
	if err := l.AppendAll(context.Background(), recs); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := l.Verify(context.Background())
		if err != nil || !rep.OK {
			b.Fatal(rep, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}
