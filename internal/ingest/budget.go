package ingest

import (
	"context"
	"sync"
)

// budget bounds the bytes held at once in one place (memory or temporary
// files). Bytes the walker itself still holds are "pinned": the walker
// cannot release them before it finishes the archive they belong to, so an
// acquire that finds nothing but pinned bytes in use goes ahead over the cap
// instead of waiting for releases that cannot come. The overshoot is thus
// bounded by what the walker pins: at most MaxDepth nested archives plus the
// entry being read.
type budget struct {
	mu     sync.Mutex
	limit  int64
	used   int64
	pinned int64
	peak   int64
	wake   chan struct{} // closed and replaced on each release
}

func newBudget(limit int64) *budget {
	return &budget{limit: limit, wake: make(chan struct{})}
}

// acquire takes n pinned bytes, waiting for releases while the budget is
// full of bytes held by items.
func (b *budget) acquire(ctx context.Context, n int64) error {
	for {
		b.mu.Lock()
		if b.used+n <= b.limit || b.used <= b.pinned {
			b.used += n
			b.pinned += n
			b.peak = max(b.peak, b.used)
			b.mu.Unlock()
			return nil
		}
		wake := b.wake
		b.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// unpin marks n bytes as no longer held by the walker (items may still
// hold them).
func (b *budget) unpin(n int64) {
	b.mu.Lock()
	b.pinned -= n
	b.mu.Unlock()
}

// release returns n bytes.
func (b *budget) release(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	close(b.wake)
	b.wake = make(chan struct{})
	b.mu.Unlock()
}

func (b *budget) state() (used, pinned, peak int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used, b.pinned, b.peak
}
