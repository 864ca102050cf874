package main

import (
	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/store"
)

// newAuditor returns the audit trail the server writes to.
func newAuditor(db *store.DB) *audit.Log { return audit.New(db) }
