package auth

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// scope says which objects of other organisations a granted role reaches.
type scope int

const (
	ownOrg    scope = iota // only its own organisation's
	shared                 // also those shared with its organisation
	anyOrg                 // any organisation's
	victimAny              // victim_id any organisation's, other roles their own
)

// policyTable is the policy written out a second time, as a reviewer reads
// it: who may do what, and how far beyond their own organisation.
var policyTable = []struct {
	action Action
	roles  string
	scope  scope
}{
	{BankList, "investigator victim_id hotline_analyst partner admin", shared},
	{BankRead, "investigator victim_id hotline_analyst", shared},
	{BankWrite, "hotline_analyst victim_id admin", ownOrg},
	{Match, "investigator victim_id hotline_analyst partner", shared},
	{HashMedia, "investigator victim_id hotline_analyst partner", ownOrg},
	{IndexRead, "investigator victim_id hotline_analyst partner admin monitor", ownOrg},
	{CaseRead, "investigator victim_id", ownOrg},
	{CaseWrite, "investigator", ownOrg},
	{SeriesRead, "investigator victim_id", victimAny},
	{SeriesWrite, "victim_id", victimAny},
	{ReferralRead, "care_worker victim_id", victimAny},
	{StatsRead, "monitor admin victim_id", anyOrg},
	{AuditRead, "admin", ownOrg},
	{UserAdmin, "admin", ownOrg},
}

// TestDecide enumerates role × action × (collection, same organisation,
// another organisation, another organisation that shares the object).
func TestDecide(t *testing.T) {
	if len(policyTable) != len(grants) {
		t.Errorf("policyTable has %d actions, grants %d: keep them in step", len(policyTable), len(grants))
	}
	resources := []struct {
		name string
		r    Resource
	}{
		{"collection", Resource{}},
		{"same org", Resource{Org: "unit-a"}},
		{"other org", Resource{Org: "unit-b"}},
		{"shared", Resource{Org: "unit-b", SharedWith: []string{"unit-c", "unit-a"}}},
		// A bank without a source organisation reaches only those it is
		// shared with: never everyone, as the collection would.
		{"other org", BankResource("", nil)},
		{"other org", BankResource("", []string{"unit-c"})},
		{"other org", Resource{SharedWith: []string{"unit-c"}}},
		{"shared", BankResource("", []string{"unit-a"})},
		{"same org", BankResource("unit-a", nil)},
		{"other org", BankResource("unit-b", nil)},
	}
	for _, row := range policyTable {
		if _, ok := grants[row.action]; !ok {
			t.Errorf("%s: not in grants", row.action)
		}
		allowed := strings.Fields(row.roles)
		for _, role := range Roles {
			p := Principal{UserID: 1, Name: "u", OrgID: 1, Org: "unit-a", Role: role}
			granted := slices.Contains(allowed, string(role))
			for _, res := range resources {
				want := granted
				switch res.name {
				case "other org":
					want = granted && (row.scope == anyOrg || row.scope == victimAny && role == VictimID)
				case "shared":
					want = granted && (row.scope == shared || row.scope == anyOrg || row.scope == victimAny && role == VictimID)
				}
				err := Decide(p, row.action, res.r)
				if (err == nil) != want {
					t.Errorf("%s %s %s: got %v, want allowed=%v", role, row.action, res.name, err, want)
				}
				if err != nil && !errors.Is(err, ErrDenied) {
					t.Errorf("%s %s %s: %v does not wrap ErrDenied", role, row.action, res.name, err)
				}
			}
		}
	}
}

func TestDecideSpecialActions(t *testing.T) {
	user := Principal{UserID: 1, Org: "unit-a", Role: Monitor}
	token := Principal{TokenID: 7, Org: "platform", Role: Partner}
	tests := []struct {
		name string
		p    Principal
		a    Action
		want error
	}{
		{"anonymous public", Anonymous, Public, nil},
		{"anonymous self", Anonymous, Self, ErrUnauthenticated},
		{"anonymous match", Anonymous, Match, ErrUnauthenticated},
		{"user self", user, Self, nil},
		{"token self", token, Self, nil},
		{"unknown action", user, Action("bank.burn"), ErrDenied},
		{"token match", token, Match, nil},
		{"token case", token, CaseRead, ErrDenied},
		{"token audit", token, AuditRead, ErrDenied},
	}
	for _, tc := range tests {
		err := Decide(tc.p, tc.a, Resource{})
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestBankResource(t *testing.T) {
	if r := BankResource("", nil); r.Org != NoOwner || namePattern.MatchString(r.Org) {
		t.Errorf("ownerless bank: %+v", r)
	}
	// Neither a bank of no owner nor any object reaches a principal
	// without an organisation, and no principal's organisation is NoOwner.
	analyst := Principal{UserID: 1, Org: "hotline", Role: HotlineAnalyst}
	for _, p := range []Principal{{UserID: 2, Role: HotlineAnalyst}, {UserID: 3, Org: NoOwner, Role: HotlineAnalyst}} {
		for _, r := range []Resource{BankResource("", nil), BankResource("", []string{""}), {Org: "hotline"}} {
			if p.Org == NoOwner && r.Org == NoOwner {
				continue // cannot exist: NoOwner is no valid organisation name
			}
			if err := Decide(p, BankRead, r); !errors.Is(err, ErrDenied) {
				t.Errorf("%+v reads %+v: %v", p, r, err)
			}
		}
	}
	for _, a := range []Action{BankList, BankRead, Match} {
		if err := Decide(analyst, a, BankResource("", nil)); !errors.Is(err, ErrDenied) {
			t.Errorf("%s of an unshared ownerless bank: %v", a, err)
		}
		if err := Decide(analyst, a, BankResource("", []string{"hotline"})); err != nil {
			t.Errorf("%s of an ownerless bank shared with the org: %v", a, err)
		}
	}
	if err := Decide(analyst, BankWrite, BankResource("", []string{"hotline"})); !errors.Is(err, ErrDenied) {
		t.Errorf("write to an ownerless bank: %v", err)
	}
	if err := Decide(analyst, BankRead, Collection); err != nil {
		t.Errorf("role gate: %v", err)
	}
}
