package auth

import (
	"sync"
	"time"
)

// tokenCache keeps recently checked tokens, so that a busy partner's
// lookups (thousands a second) do not each read the database, and bounds
// last-use writes to one a minute per token.
type tokenCache struct {
	mu     sync.Mutex
	byHash map[[32]byte]cachedToken
	noted  map[int64]time.Time // last write of last_used_at, per token
	// gen counts evictions: a lookup that read the database before an
	// eviction must not put back what the eviction removed.
	gen uint64
}

// generation returns the eviction count, to pass to put.
func (c *tokenCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

type cachedToken struct {
	p     Principal
	until time.Time
}

// maxCachedTokens bounds the cache; when full it is simply emptied, which
// costs one database read per token.
const maxCachedTokens = 10000

func (c *tokenCache) get(sum [32]byte, now time.Time) (Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byHash[sum]
	if !ok || !now.Before(e.until) {
		return Principal{}, false
	}
	return e.p, true
}

func (c *tokenCache) put(sum [32]byte, p Principal, until, lastUsed time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return // a revocation happened since the database was read
	}
	if c.byHash == nil || len(c.byHash) >= maxCachedTokens {
		c.byHash = make(map[[32]byte]cachedToken)
	}
	c.byHash[sum] = cachedToken{p: p, until: until}
	if c.noted == nil || len(c.noted) >= maxCachedTokens {
		c.noted = make(map[int64]time.Time)
	}
	if _, ok := c.noted[p.TokenID]; !ok && !lastUsed.IsZero() {
		c.noted[p.TokenID] = lastUsed
	}
}

// evict forgets the token with id (revoked on this node).
func (c *tokenCache) evict(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.byHash {
		if e.p.TokenID == id {
			delete(c.byHash, k)
		}
	}
}

// shouldNote reports whether the token's last use should be written now,
// and if so records that it is.
func (c *tokenCache) shouldNote(id int64, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.noted == nil {
		c.noted = make(map[int64]time.Time)
	}
	if last, ok := c.noted[id]; ok && now.Sub(last) < time.Minute {
		return false
	}
	c.noted[id] = now
	return true
}
