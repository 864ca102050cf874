package main

import (
	"os"
	"testing"

	"github.com/havenproject/haven/internal/store/storetest"
)

// TestMain provides PostgreSQL to the server tests (storetest.Main); the
// other tests of this package do not use it.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
