package auth

import (
	"errors"
	"fmt"
	"slices"
)

// Action names an operation on a kind of object. Every route maps to one.
type Action string

const (
	// Public needs no authentication (status, login page, static assets).
	Public Action = "public"
	// Self is any authenticated user's own session: dashboard, logout,
	// password change.
	Self Action = "self"

	BankList  Action = "bank.list"  // names and counts of the banks the principal may see
	BankRead  Action = "bank.read"  // a bank's entries (hashes, categories)
	BankWrite Action = "bank.write" // create, change, import into, withdraw from, delete a bank
	// Match looks a hash up against the banks shared with the principal's
	// organisation and returns verdicts, never case data.
	Match     Action = "match"
	HashMedia Action = "hash.media" // hash an upload in memory
	IndexRead Action = "index.read" // index status (sizes, freshness)

	CaseRead     Action = "case.read" // triage results, seizures, case files
	CaseWrite    Action = "case.write"
	SeriesRead   Action = "series.read" // series and cross-case links
	SeriesWrite  Action = "series.write"
	ReferralRead Action = "referral.read"

	StatsRead Action = "stats.read" // aggregate figures only
	AuditRead Action = "audit.read"
	UserAdmin Action = "user.admin" // organisations, users, tokens
)

// Resource is the object an action touches.
//
// The zero Resource (Collection) stands for "the collection": it is for
// role gates only — may this role list banks at all, may it read some
// bank — and the caller then decides each object with its own Resource.
// Never pass the zero Resource for one object: build banks' with
// BankResource, which cannot be zero. A Resource with SharedWith but no
// Org is an object without an owner, granted only to those organisations.
type Resource struct {
	// Org owns the object (a bank's source organisation, a case's unit).
	Org string
	// SharedWith lists further organisations granted the object (banks).
	SharedWith []string
}

// Collection is the zero Resource: a role gate, not an object.
var Collection = Resource{}

// NoOwner is the owner BankResource gives an object without one: no
// organisation can have this name (it is not a valid short name), so only
// the organisations in SharedWith reach the object.
const NoOwner = "(no owner)"

// BankResource is the Resource of a bank with source organisation
// sourceOrg, shared with sharedWith. A bank without a source organisation
// belongs to NoOwner: only the organisations it is shared with may use it,
// according to their roles (fail closed).
func BankResource(sourceOrg string, sharedWith []string) Resource {
	if sourceOrg == "" {
		sourceOrg = NoOwner
	}
	return Resource{Org: sourceOrg, SharedWith: sharedWith}
}

// ErrDenied is wrapped by every refusal of Decide.
var ErrDenied = errors.New("access denied")

// ErrUnauthenticated is returned by Decide when an action needs a principal
// and the request has none.
var ErrUnauthenticated = errors.New("authentication required")

// grants lists, per action, the roles that may perform it at all; scope then
// narrows to the organisations involved. One table, so a review reads the
// whole policy at once.
var grants = map[Action][]Role{
	BankList:     {Investigator, VictimID, HotlineAnalyst, Partner, Admin},
	BankRead:     {Investigator, VictimID, HotlineAnalyst},
	BankWrite:    {HotlineAnalyst, VictimID, Admin},
	Match:        {Investigator, VictimID, HotlineAnalyst, Partner},
	HashMedia:    {Investigator, VictimID, HotlineAnalyst, Partner},
	IndexRead:    {Investigator, VictimID, HotlineAnalyst, Partner, Admin, Monitor},
	CaseRead:     {Investigator, VictimID},
	CaseWrite:    {Investigator},
	SeriesRead:   {Investigator, VictimID},
	SeriesWrite:  {VictimID},
	ReferralRead: {CareWorker, VictimID},
	StatsRead:    {Monitor, Admin, VictimID},
	AuditRead:    {Admin},
	UserAdmin:    {Admin},
}

// Decide says whether p may perform a on r: nil to allow, an error wrapping
// ErrUnauthenticated or ErrDenied (with the reason) to refuse.
func Decide(p Principal, a Action, r Resource) error {
	if a == Public {
		return nil
	}
	if !p.Authenticated() {
		return ErrUnauthenticated
	}
	if a == Self {
		return nil
	}
	roles, ok := grants[a]
	if !ok {
		return fmt.Errorf("%w: no policy for action %q", ErrDenied, a)
	}
	if !slices.Contains(roles, p.Role) {
		return fmt.Errorf("%w: role %s may not %s", ErrDenied, p.Role, a)
	}
	if !inScope(p, a, r) {
		return fmt.Errorf("%w: %s of organisation %q is not shared with %q", ErrDenied, a, r.Org, p.Org)
	}
	return nil
}

// inScope narrows a granted action to the organisations that own or share
// the object. The collection (the zero Resource) is filtered by the caller
// per item. A principal without an organisation reaches no object.
func inScope(p Principal, a Action, r Resource) bool {
	if r.Org == "" && len(r.SharedWith) == 0 {
		return true // the collection: a role gate
	}
	if p.Org == "" {
		return false
	}
	if r.Org == p.Org {
		return true
	}
	switch a {
	case BankList, BankRead, Match:
		return slices.Contains(r.SharedWith, p.Org)
	case SeriesRead, SeriesWrite, ReferralRead, StatsRead:
		// Victim identification works across units by design; referrals
		// are addressed to an organisation via Org.
		return p.Role == VictimID || a == StatsRead
	}
	return false
}
