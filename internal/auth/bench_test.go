package auth_test

import (
	"testing"

	"github.com/havenproject/haven/internal/auth"
)

// BenchmarkHashPassword measures one argon2id hash with the default
// (OWASP) parameters: the cost of every login.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := auth.HashPassword(pw, auth.DefaultHashParams); err != nil {
			b.Fatal(err)
		}
	}
}
