package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
)

// bankRow is a bank as the list shows it.
type bankRow struct {
	bank.Bank
	Active, Withdrawn int64
	CanRead           bool
}

// visibleBanks lists the banks the principal may know of, with counts.
func (u *ui) visibleBanks(r *http.Request) ([]bankRow, error) {
	p := principal(r)
	all, err := u.Banks.List(r.Context())
	if err != nil {
		return nil, err
	}
	var rows []bankRow
	for _, b := range all {
		if !visible(p, b) {
			continue
		}
		st, err := u.Banks.Stats(r.Context(), b.Name)
		if err != nil {
			return nil, err
		}
		rows = append(rows, bankRow{Bank: b, Active: st.Active, Withdrawn: st.Withdrawn,
			CanRead: auth.Decide(p, auth.BankRead, bankResource(b)) == nil})
	}
	return rows, nil
}

type banksData struct {
	Banks     []bankRow
	CanCreate bool
	Form      bankForm
}

// bankForm is the create form as the user filled it in, for re-display.
type bankForm struct {
	Name, Description, Kind, SharedWith string
}

// banks lists the visible banks and offers the create form to writers.
func (u *ui) banks(w http.ResponseWriter, r *http.Request) {
	u.renderBanks(w, r, http.StatusOK, bankForm{Kind: string(bank.Positive)}, "")
}

func (u *ui) renderBanks(w http.ResponseWriter, r *http.Request, status int, f bankForm, msg string) {
	rows, err := u.visibleBanks(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := principal(r)
	d := banksData{Banks: rows, Form: f,
		CanCreate: auth.Decide(p, auth.BankWrite, orgResource(p.Org)) == nil}
	v := u.newView(r, "Banks", d)
	v.Error = msg
	u.render(w, r, status, "banks", v)
}

// bankCreate creates a bank curated by the principal's organisation.
func (u *ui) bankCreate(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	f := bankForm{
		Name:        strings.TrimSpace(r.PostFormValue("name")),
		Description: strings.TrimSpace(r.PostFormValue("description")),
		Kind:        r.PostFormValue("kind"),
		SharedWith:  r.PostFormValue("shared_with"),
	}
	if err := authorize(r, auth.BankWrite, orgResource(p.Org), "bank:"+f.Name); err != nil {
		u.fromError(w, r, err)
		return
	}
	kind := bank.Kind(f.Kind)
	if kind != bank.Positive && kind != bank.Negative {
		u.renderBanks(w, r, http.StatusBadRequest, f, "Choose whether the bank is positive or negative.")
		return
	}
	b := bank.Bank{Name: f.Name, Description: f.Description, SourceOrg: p.Org, Kind: kind, SharedWith: splitList(f.SharedWith)}
	created, err := u.Banks.Create(r.Context(), b)
	u.auditChange(r, string(auth.BankWrite), "bank:"+f.Name, "create", err)
	switch {
	case errors.Is(err, bank.ErrExists):
		u.renderBanks(w, r, http.StatusConflict, f, fmt.Sprintf("A bank named %q exists already.", f.Name))
		return
	case errors.Is(err, bank.ErrInvalid):
		u.renderBanks(w, r, http.StatusBadRequest, f, "The bank was not created: "+err.Error())
		return
	case err != nil:
		u.fail(w, r, err)
		return
	}
	u.syncIndex(r)
	next := "/banks"
	if auth.Decide(p, auth.BankRead, bankResource(created)) == nil {
		next = "/banks/" + created.Name
	}
	redirect(w, r, next+"?done=created")
}

// splitList reads organisation names separated by commas, spaces or lines.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t' })
}

// bankFor returns the named bank if the principal may perform a on it. A
// bank the principal may not even know of is reported as not found, so
// that names of banks not shared with an organisation do not leak; the
// refusal is recorded as denied all the same, as is a name that is no
// bank (probing shows in the trail).
func (u *ui) bankFor(r *http.Request, name string, a auth.Action) (bank.Bank, error) {
	b, err := u.Banks.Get(r.Context(), name)
	if errors.Is(err, bank.ErrNotFound) {
		u.auditChange(r, string(a), "bank:"+name, "no such bank", errHidden)
		return bank.Bank{}, err
	}
	if err != nil {
		return bank.Bank{}, err
	}
	if !visible(principal(r), b) {
		// Decide refuses a as well (no action reaches further than
		// bank.list); web records the refusal.
		if err := authorize(r, a, bankResource(b), "bank:"+b.Name); err == nil {
			u.auditChange(r, string(a), "bank:"+b.Name, "not visible", errHidden)
		}
		return bank.Bank{}, fmt.Errorf("bank %q: %w", name, bank.ErrNotFound)
	}
	if err := authorize(r, a, bankResource(b), "bank:"+b.Name); err != nil {
		return bank.Bank{}, err
	}
	return b, nil
}
