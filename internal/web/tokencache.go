package web

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/auth"
)

// tokenCache remembers authenticated API tokens for a short time, for an
// Authenticator that does not cache them itself (auth.Service does). It
// keys by the token's SHA-256, never the token itself. A revoked token
// works until its entry expires (the TTL).
type tokenCache struct {
	ttl time.Duration
	mu  sync.RWMutex
	m   map[[32]byte]tokenEntry
}

type tokenEntry struct {
	p       auth.Principal
	expires time.Time
}

// maxCachedTokens bounds the cache; when full it starts again empty
// (tokens are few; a flood of distinct valid ones is not a case to tune).
const maxCachedTokens = 10000

func newTokenCache(ttl time.Duration) *tokenCache {
	return &tokenCache{ttl: ttl, m: map[[32]byte]tokenEntry{}}
}

func (c *tokenCache) get(bearer string) (auth.Principal, bool) {
	if c.ttl <= 0 {
		return auth.Principal{}, false
	}
	k := sha256.Sum256([]byte(bearer))
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if !ok || time.Now().After(e.expires) {
		return auth.Principal{}, false
	}
	return e.p, true
}

func (c *tokenCache) put(bearer string, p auth.Principal) {
	if c.ttl <= 0 {
		return
	}
	k := sha256.Sum256([]byte(bearer))
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedTokens {
		clear(c.m)
	}
	c.m[k] = tokenEntry{p: p, expires: time.Now().Add(c.ttl)}
}
