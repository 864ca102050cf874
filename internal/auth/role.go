package auth

import (
	"fmt"
	"slices"
	"strings"
)

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
	// MustChangePassword is set for a session whose user's password was
	// chosen by someone else (creation, reset): until the user changes it,
	// the server allows only the password change and logout.
	MustChangePassword bool
}

// Anonymous is the principal of a request that did not authenticate.
var Anonymous = Principal{}

// Authenticated reports whether p is a known user or token.
func (p Principal) Authenticated() bool { return p.UserID != 0 || p.TokenID != 0 }

// ParseRoles parses a comma-separated list of role names ("partner",
// "investigator, victim_id"); spaces around names and repeats are ignored
// and the result is in the order of Roles. An empty list is valid (no
// roles).
func ParseRoles(s string) ([]Role, error) {
	var out []Role
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		r, err := ParseRole(f)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return canonRoles(out), nil
}

// canonRoles returns the known roles among rs, once each, in the order of
// Roles. Unknown names are dropped: what cannot be parsed grants nothing.
func canonRoles(rs []Role) []Role {
	out := []Role{}
	for _, r := range Roles {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

// FormatRoles returns rs as ParseRoles reads them ("" for none).
func FormatRoles(rs []Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

// parseStoredRoles reads the roles column; unknown names grant nothing.
func parseStoredRoles(s string) []Role {
	var rs []Role
	for _, f := range strings.Split(s, ",") {
		rs = append(rs, Role(strings.TrimSpace(f)))
	}
	return canonRoles(rs)
}
