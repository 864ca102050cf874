package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
)

// ownerless stands for the owner of a bank whose source organisation is
// not recorded: a name no organisation has, so that only the bank's
// SharedWith list grants it. (The zero Resource.Org would mean "the
// collection" and grant everyone with the role.)
const ownerless = "\x00ownerless"

// bankResource is a stored bank as the policy sees it.
func bankResource(b bank.Bank) auth.Resource {
	org := b.SourceOrg
	if org == "" {
		org = ownerless
	}
	return auth.Resource{Org: org, SharedWith: b.SharedWith}
}

// indexResource is an indexed bank as the policy sees it: the index keeps
// the source organisation among SharedWith.
func indexResource(b *match.Bank) auth.Resource {
	return auth.Resource{Org: ownerless, SharedWith: b.SharedWith}
}

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
func (s *Server) authorizedBank(r *http.Request, a auth.Action, name string) (bank.Bank, error) {
	b, err := s.deps.Banks.Get(r.Context(), name)
	if err != nil {
		return bank.Bank{}, err
	}
	if err := AuthorizeObject(r, a, bankResource(b), "bank:"+b.Name); err != nil {
		return bank.Bank{}, err
	}
	return b, nil
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
