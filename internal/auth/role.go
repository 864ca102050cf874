package auth

import "fmt"

// Role is what a user does in their organisation; it bounds what they see.
type Role string

const (
	// Admin manages organisations, users, tokens and configuration; sees no
	// case content.
	Admin Role = "admin"
	// Investigator triages seized collections and works their unit's cases.
	Investigator Role = "investigator"
	// VictimID links series and cases across units and marks children
	// identified.
	VictimID Role = "victim_id"
	// HotlineAnalyst assesses reports, sends notices and curates the
	// hotline's banks.
	HotlineAnalyst Role = "hotline_analyst"
	// Partner is a platform or host on the API: verdicts for its own queries
	// against banks shared with it, nothing else.
	Partner Role = "partner"
	// CareWorker receives referrals for identified children: never material,
	// never hashes.
	CareWorker Role = "care_worker"
	// Monitor follows aggregate figures, with small counts suppressed.
	Monitor Role = "monitor"
)

// Roles lists every role, in the order of DESIGN.md.
var Roles = []Role{Investigator, VictimID, HotlineAnalyst, Partner, CareWorker, Monitor, Admin}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (one of admin, investigator, victim_id, hotline_analyst, partner, care_worker, monitor)", s)
}

// Principal is the authenticated party behind a request or command.
type Principal struct {
	UserID int64
	// Name is the user's login name, or the token's name for a token.
	Name string
	// OrgID and Org identify the user's organisation; Org is the short name
	// that banks' SharedWith lists use.
	OrgID int64
	Org   string
	Role  Role
	// TokenID is set when the request authenticated with an API token.
	TokenID int64
}

// Anonymous is the principal of a request that did not authenticate.
var Anonymous = Principal{}

// Authenticated reports whether p is a known user or token.
func (p Principal) Authenticated() bool { return p.UserID != 0 || p.TokenID != 0 }
