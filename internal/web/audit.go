package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
)

// auditBatcher aggregates the audit records of API-token requests: a
// partner's matcher may send thousands of lookups a second, and one
// chained record per lookup would make the audit trail the bottleneck of
// the hot path. Records that agree on who (token), what (action, object),
// from where and with which result are merged into one per flush
// interval, carrying the count and the first and last time; every use is
// counted, none is dropped. They are written every interval and at Close,
// so a crash loses at most one interval's counts. A failed write keeps
// them for the next flush.
type auditBatcher struct {
	a     Auditor
	every time.Duration
	log   *slog.Logger

	mu      sync.Mutex
	pending map[auditKey]*auditAgg
}

type auditKey struct {
	actor, org     string
	role           auth.Role
	token          int64
	action, object string
	result, remote string
}

type auditAgg struct {
	n           int64
	first, last time.Time
}

func newAuditBatcher(a Auditor, every time.Duration, log *slog.Logger) *auditBatcher {
	return &auditBatcher{a: a, every: every, log: log, pending: map[auditKey]*auditAgg{}}
}

// tokenUse records a finished token request by its route and status.
func (b *auditBatcher) tokenUse(st *reqState, status int) {
	action := string(st.action)
	if action == "" {
		action = "token.use"
	}
	object := st.pattern
	if object == "" {
		object = "unmatched route"
	}
	result := audit.OK
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		result = audit.Denied
	case status >= 400:
		result = audit.Failed
	}
	b.add(st, action, object+" "+strconv.Itoa(status), result)
}

func (b *auditBatcher) add(st *reqState, action, object, result string) {
	if b.a == nil {
		return
	}
	p := st.principal
	k := auditKey{actor: actorName(p), org: p.Org, role: p.Role, token: p.TokenID, action: action, object: object, result: result, remote: st.remote}
	now := time.Now()
	b.mu.Lock()
	agg := b.pending[k]
	if agg == nil {
		agg = &auditAgg{first: now}
		b.pending[k] = agg
	}
	agg.n++
	agg.last = now
	b.mu.Unlock()
}

// run flushes every interval until ctx ends, then once more.
func (b *auditBatcher) run(ctx context.Context) {
	t := time.NewTicker(b.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			b.flush(context.WithoutCancel(ctx))
			return
		case <-t.C:
			if err := b.flush(ctx); err != nil {
				b.log.Error("audit flush failed; records kept for the next", "err", err)
			}
		}
	}
}

// batchAuditor is an Auditor that writes many records in one transaction
// (*audit.Log does).
type batchAuditor interface {
	AppendAll(ctx context.Context, recs []audit.Record) error
}

// flush writes the pending records: in one transaction when the Auditor
// can, else one by one. What cannot be written is kept for the next flush.
func (b *auditBatcher) flush(ctx context.Context) error {
	if b.a == nil {
		return nil
	}
	b.mu.Lock()
	batch := b.pending
	b.pending = map[auditKey]*auditAgg{}
	b.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	keys := make([]auditKey, 0, len(batch))
	recs := make([]audit.Record, 0, len(batch))
	for k, agg := range batch {
		keys = append(keys, k)
		recs = append(recs, audit.Record{Actor: k.actor, Org: k.org, Role: string(k.role), Action: k.action, Object: k.object,
			Result: k.result, Remote: k.remote,
			Detail: fmt.Sprintf("token %d used %d times from %s to %s", k.token, agg.n,
				agg.first.UTC().Format(time.RFC3339Nano), agg.last.UTC().Format(time.RFC3339Nano))})
	}
	if ba, ok := b.a.(batchAuditor); ok {
		if err := ba.AppendAll(ctx, recs); err != nil {
			for _, k := range keys {
				b.keep(k, batch[k])
			}
			return err
		}
		return nil
	}
	var failed error
	for i, rec := range recs {
		if failed == nil {
			if failed = b.a.Append(ctx, rec); failed == nil {
				continue
			}
		}
		b.keep(keys[i], batch[keys[i]])
	}
	return failed
}

// keep puts an unwritten aggregate back.
func (b *auditBatcher) keep(k auditKey, agg *auditAgg) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if cur := b.pending[k]; cur != nil {
		cur.n += agg.n
		cur.first = agg.first
		return
	}
	b.pending[k] = agg
}

// pendingCount is the number of aggregates not yet written (a metric).
func (b *auditBatcher) pendingCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}
