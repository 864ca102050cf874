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

// Resource is the object an action touches. The zero Resource stands for
// "the collection" (e.g. listing banks); fields that do not apply stay zero.
type Resource struct {
	// Org owns the object (a bank's source organisation, a case's unit).
	Org string
	// SharedWith lists further organisations granted the object (banks).
	SharedWith []string
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
// the object. Collections (Org == "") are filtered by the caller per item.
func inScope(p Principal, a Action, r Resource) bool {
	if r.Org == "" || r.Org == p.Org {
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
