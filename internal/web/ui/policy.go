package ui

import (
	"net/http"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/web"
)

// authorize asks the policy whether the request's principal may perform a
// on the object res, named object in the audit trail. It goes through the
// server (web.AuthorizeObject), which records the decision.
func authorize(r *http.Request, a auth.Action, res auth.Resource, object string) error {
	return web.AuthorizeObject(r, a, res, object)
}

// bankResource is a bank as the policy sees it.
func bankResource(b bank.Bank) auth.Resource {
	return auth.Resource{Org: b.SourceOrg, SharedWith: b.SharedWith}
}

// visible reports whether p may know that bank b exists. It filters lists
// with the policy function itself: asking the server per item would audit
// every row of every list.
func visible(p auth.Principal, b bank.Bank) bool {
	return auth.Decide(p, auth.BankList, bankResource(b)) == nil
}
