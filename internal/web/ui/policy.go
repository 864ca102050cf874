package ui

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/web"
)

// authorize asks the policy whether the request's principal may perform a
// on the object res, named object in the audit trail. It goes through the
// server (web.AuthorizeObject), which records the decision. An error
// other than the policy's refusal means the decision was not recorded
// (the access is refused all the same); it is returned wrapping
// errNotRecorded, answered 503.
func authorize(r *http.Request, a auth.Action, res auth.Resource, object string) error {
	err := web.AuthorizeObject(r, a, res, object)
	if err != nil && !errors.Is(err, auth.ErrDenied) && !errors.Is(err, auth.ErrUnauthenticated) {
		return fmt.Errorf("%w: %w", errNotRecorded, err)
	}
	return err
}

// bankResource is a bank as the policy sees it (auth.BankResource: a bank
// without a source organisation reaches only the organisations it is
// shared with, never everyone).
func bankResource(b bank.Bank) auth.Resource { return auth.BankResource(b.SourceOrg, b.SharedWith) }

// orgResource is an object owned by the organisation named org (a user, a
// token, a bank about to be created). An empty name, from a form or a
// principal without an organisation, is auth.NoOwner: never the
// collection, which would be open to every role.
func orgResource(org string) auth.Resource {
	if org == "" {
		org = auth.NoOwner
	}
	return auth.Resource{Org: org}
}

// visible reports whether p may know that bank b exists. It filters lists
// with the policy function itself: asking the server per item would audit
// every row of every list.
func visible(p auth.Principal, b bank.Bank) bool {
	return auth.Decide(p, auth.BankList, bankResource(b)) == nil
}
