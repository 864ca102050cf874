package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
)

// bankResource is a stored bank as the policy sees it (a bank without a
// source organisation reaches only those it is shared with).
func bankResource(b bank.Bank) auth.Resource { return auth.BankResource(b.SourceOrg, b.SharedWith) }

// ownsBank reports whether the principal's organisation curates b: only
// its members see whom a bank is shared with.
func ownsBank(p auth.Principal, b bank.Bank) bool { return p.Org != "" && p.Org == b.SourceOrg }

// indexResource is an indexed bank as the policy sees it: the index keeps
// the source organisation among SharedWith, so an owner no organisation
// has plus that list grants exactly the same organisations.
func indexResource(b *match.Bank) auth.Resource { return auth.BankResource("", b.SharedWith) }

// allowedBanks returns the index filter for what p may do with a, further
// narrowed to the named banks when names is not empty.
func allowedBanks(p auth.Principal, a auth.Action, names []string) func(*match.Bank) bool {
	return func(b *match.Bank) bool {
		if len(names) > 0 && !contains(names, b.Name) {
			return false
		}
		return auth.Decide(p, a, indexResource(b)) == nil
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// splitList splits a comma-separated parameter, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// visibleBanks lists the banks the request's principal may see with a,
// after recording the listing in the audit trail.
func (s *Server) visibleBanks(r *http.Request, a auth.Action) ([]bank.Bank, error) {
	if err := AuthorizeObject(r, a, auth.Resource{}, "banks"); err != nil {
		return nil, err
	}
	all, err := s.deps.Banks.List(r.Context())
	if err != nil {
		return nil, err
	}
	p := PrincipalFrom(r.Context())
	out := all[:0]
	for _, b := range all {
		if auth.Decide(p, a, bankResource(b)) == nil {
			out = append(out, b)
		}
	}
	return out, nil
}

// authorizedBank gets the named bank and authorises a on it (recorded).
// A bank the principal may not even list answers as absent (an error
// matching bank.ErrNotFound, so 404), so that names of banks not shared
// with the caller do not leak; the refusal is still recorded.
func (s *Server) authorizedBank(r *http.Request, a auth.Action, name string) (bank.Bank, error) {
	b, err := s.deps.Banks.Get(r.Context(), name)
	if err != nil {
		return bank.Bank{}, err
	}
	p := PrincipalFrom(r.Context())
	if auth.Decide(p, auth.BankList, bankResource(b)) != nil && auth.Decide(p, a, bankResource(b)) != nil {
		AuthorizeObject(r, a, bankResource(b), "bank:"+b.Name) // records the refusal
		return bank.Bank{}, fmt.Errorf("bank %q: %w", name, bank.ErrNotFound)
	}
	if err := AuthorizeObject(r, a, bankResource(b), "bank:"+b.Name); err != nil {
		return bank.Bank{}, err
	}
	return b, nil
}

// outcome records the result of a change after it was made (the
// authorisation record before it says it was allowed; this one says what
// happened), synchronously for every principal.
func (s *Server) outcome(r *http.Request, a auth.Action, object string, err error, detail string) {
	st := stateFrom(r)
	if st == nil || s.deps.Audit == nil {
		return
	}
	rec := audit.Record{Actor: actorName(st.principal), Org: st.principal.Org, Role: string(st.principal.Role),
		Action: string(a), Object: object, Result: audit.OK, Remote: st.remote, Detail: "request " + st.id + ": done"}
	if detail != "" {
		rec.Detail += ": " + detail
	}
	if err != nil {
		rec.Result, rec.Detail = audit.Failed, "request "+st.id+": "+err.Error()
	}
	if aerr := s.deps.Audit.Append(context.WithoutCancel(r.Context()), rec); aerr != nil {
		s.log.Error("audit append failed", "id", st.id, "err", aerr)
	}
}

// changed tells this node's index and the other nodes that banks changed,
// and brings this node's index up to date before the answer goes out, so
// that a client reads its own writes.
func (s *Server) changed(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	if s.deps.DB != nil {
		if err := match.NotifyChange(ctx, s.deps.DB); err != nil {
			s.log.Warn("notify other nodes", "err", err)
		}
	}
	if s.deps.Index != nil {
		if err := s.deps.Index.Sync(ctx); err != nil {
			s.log.Warn("sync index after a change", "err", err)
		}
	}
}
