package audit

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestMain(m *testing.M) {
	if os.Getenv(envChildDSN) != "" {
		os.Exit(appendChild())
	}
	os.Exit(storetest.Main(m))
}

// newLog returns a Log on db whose clock starts at a fixed time and moves
// on by step at every batch.
func newLog(db *store.DB, step time.Duration) *Log {
	l := New(db)
	var mu sync.Mutex
	t := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(step)
		return t
	}
	return l
}

func appendN(t *testing.T, l *Log, n int) {
	t.Helper()
	for i := range n {
		err := l.Append(t.Context(), Record{Actor: "alice", Org: "hotline", Role: "hotline_analyst",
			Action: "bank.read", Object: "bank:b" + string(rune('a'+i%26)), Result: OK, Remote: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
	}
}
