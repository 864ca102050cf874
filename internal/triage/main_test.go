package triage

import (
	"os"
	"testing"

	"github.com/havenproject/haven/internal/store/storetest"
)

// TestMain runs the store tests on SQLite and PostgreSQL (storetest); the
// child process of the kill-and-resume test needs no server.
func TestMain(m *testing.M) {
	if os.Getenv(envChild) != "" {
		os.Exit(m.Run())
	}
	os.Exit(storetest.Main(m))
}
