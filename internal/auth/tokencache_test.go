package auth

import (
	"testing"
	"time"
)

// TestTokenCacheRevokeRace: a lookup that read the token before a
// revocation on this node must not put it back into the cache after.
func TestTokenCacheRevokeRace(t *testing.T) {
	var c tokenCache
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	sum := [32]byte{1}
	p := Principal{TokenID: 7, Org: "platform-a", Role: Partner}
	gen := c.generation() // the lookup starts and reads the database
	c.evict(7)            // meanwhile the token is revoked
	c.put(sum, p, now.Add(time.Minute), time.Time{}, gen)
	if _, ok := c.get(sum, now); ok {
		t.Error("revoked token put back into the cache")
	}
	c.put(sum, p, now.Add(time.Minute), time.Time{}, c.generation())
	if got, ok := c.get(sum, now); !ok || got != p {
		t.Error("token not cached")
	}
	if _, ok := c.get(sum, now.Add(time.Minute)); ok {
		t.Error("cached past its time")
	}
	if !c.shouldNote(7, now) || c.shouldNote(7, now.Add(59*time.Second)) || !c.shouldNote(7, now.Add(time.Minute)) {
		t.Error("last-use writes not once a minute")
	}
}
