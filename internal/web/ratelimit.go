package web

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/auth"
)

// rateLimiter is a token bucket per principal (API token or user), for
// the costly requests (hashing uploads): rate per second, up to burst at
// once. Buckets idle for a minute are dropped.
type rateLimiter struct {
	rate, burst float64
	mu          sync.Mutex
	buckets     map[string]*bucket
	lastSweep   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter(rate float64, burst int) *rateLimiter {
	return &rateLimiter{rate: rate, burst: float64(max(burst, 1)), buckets: map[string]*bucket{}}
}

func bucketKey(p auth.Principal) string {
	if p.TokenID != 0 {
		return "t" + strconv.FormatInt(p.TokenID, 10)
	}
	return "u" + strconv.FormatInt(p.UserID, 10)
}

// allow takes one request from p's bucket; when empty it returns how long
// to wait for the next.
func (l *rateLimiter) allow(p auth.Principal, now time.Time) (bool, time.Duration) {
	if l == nil || l.rate <= 0 {
		return true, 0
	}
	k := bucketKey(p)
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		for key, b := range l.buckets {
			if now.Sub(b.at) > time.Minute {
				delete(l.buckets, key)
			}
		}
		l.lastSweep = now
	}
	b := l.buckets[k]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[k] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}
