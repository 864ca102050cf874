package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, clk := fixture(t, db, auth.Options{TokenCacheTTL: -1})
		plain, tok, err := s.CreateToken(ctx, "platform-a", "upload-scanner", 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(plain, auth.TokenPrefix) || tok.Role != auth.Partner || tok.Org != "platform-a" {
			t.Fatalf("token %q %+v", plain, tok)
		}
		p, err := s.TokenPrincipal(ctx, plain)
		if err != nil {
			t.Fatal(err)
		}
		if p.TokenID != tok.ID || p.UserID != 0 || p.Org != "platform-a" || p.Role != auth.Partner || p.Name != "upload-scanner" || !p.Authenticated() {
			t.Errorf("principal %+v", p)
		}
		s.Close() // waits for the write of the last use
		list, err := s.ListTokens(ctx, "platform-a")
		if err != nil || len(list) != 1 || list[0].LastUsed.IsZero() || list[0].ID != tok.ID {
			t.Errorf("ListTokens: %+v %v", list, err)
		}
		if other, err := s.ListTokens(ctx, "hotline"); err != nil || len(other) != 0 {
			t.Errorf("other org's tokens: %+v %v", other, err)
		}
		// A changed character breaks the checksum; a well-formed unknown
		// token is unknown.
		flipped := plain[:10] + string(plain[10]^1) + plain[11:]
		_, unknown, _ := auth.NewService(db, auth.Options{Hash: cheap}).CreateToken(ctx, "hotline", "x", time.Hour)
		s.RevokeToken(ctx, unknown.ID)
		for _, bad := range []string{"", "haven_", "Bearer " + plain, plain + "A", strings.TrimPrefix(plain, "haven_"), flipped} {
			if _, err := s.TokenPrincipal(ctx, bad); !errors.Is(err, auth.ErrBadToken) || !errors.Is(err, auth.ErrUnauthenticated) {
				t.Errorf("token %q: %v", bad, err)
			}
		}
		clk.Advance(24 * time.Hour)
		if _, err := s.TokenPrincipal(ctx, plain); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("expired token: %v", err)
		}
		plain, tok, err = s.CreateTokenFor(ctx, auth.TokenSpec{Org: "hotline", Name: "sync", Role: auth.HotlineAnalyst, CreatedBy: "cli:root"})
		if err != nil {
			t.Fatal(err)
		}
		if !tok.Expires.Equal(tok.CreatedAt.Add(90 * 24 * time.Hour)) {
			t.Errorf("default lifetime: %v to %v", tok.CreatedAt, tok.Expires)
		}
		if p, err := s.TokenPrincipal(ctx, plain); err != nil || p.Role != auth.HotlineAnalyst {
			t.Errorf("role token: %+v %v", p, err)
		}
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Errorf("second revoke: %v", err)
		}
		if _, err := s.TokenPrincipal(ctx, plain); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("revoked token: %v", err)
		}
		if err := s.RevokeToken(ctx, 9999); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("revoke unknown: %v", err)
		}
		for _, spec := range []auth.TokenSpec{{Org: "nobody", Name: "x"}, {Org: "hotline"}, {Org: "hotline", Name: "x", Role: "root"}, {Org: "hotline", Name: "x", TTL: -time.Hour}, {Org: "hotline", Name: "a\x00"}, {Org: "hotline", Name: "\xff"}} {
			if _, _, err := s.CreateTokenFor(ctx, spec); err == nil {
				t.Errorf("created %+v", spec)
			}
		}
	})
}

// TestTokenCache checks that a cached token is still refused at once when
// revoked on the same node, and by another node within the cache time.
func TestTokenCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, clk := fixture(t, db, auth.Options{TokenCacheTTL: 5 * time.Second})
		other := auth.NewService(db, auth.Options{Hash: cheap, Now: clk.Now, TokenCacheTTL: 5 * time.Second})
		plain, tok, err := s.CreateToken(ctx, "platform-a", "scanner", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []*auth.Service{s, other} {
			if _, err := n.TokenPrincipal(ctx, plain); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenPrincipal(ctx, plain); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("revoking node still accepts: %v", err)
		}
		clk.Advance(5 * time.Second)
		if _, err := other.TokenPrincipal(ctx, plain); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("other node after cache time: %v", err)
		}
	})
}
