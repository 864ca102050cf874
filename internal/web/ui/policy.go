package ui

import (
	"net/http"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
)

// authorize asks the policy whether the request's principal may perform a
// on res, through the server so that the decision is audited.
var authorize = func(r *http.Request, a auth.Action, res auth.Resource) error {
	return auth.Decide(principal(r), a, res)
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
