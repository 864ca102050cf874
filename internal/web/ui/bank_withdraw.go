package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
)

// bankWithdraw withdraws one entry (it stays as a tombstone) with the
// reason the form gives.
func (u *ui) bankWithdraw(w http.ResponseWriter, r *http.Request) {
	b, err := u.bankFor(r, r.PathValue("name"), auth.BankWrite)
	if err != nil {
		u.fromError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PostFormValue("entry"), 10, 64)
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if err != nil || id <= 0 || reason == "" {
		u.errorPage(w, r, http.StatusBadRequest, "Name the entry and say why it is withdrawn.")
		return
	}
	n, err := u.Banks.Withdraw(r.Context(), b.Name, bank.Withdrawal{EntryIDs: []int64{id}, By: principal(r).Name, Reason: reason})
	detail := fmt.Sprintf("withdraw entry %d", id)
	if err == nil && n == 0 {
		err = fmt.Errorf("entry %d: %w", id, bank.ErrNotFound)
	}
	u.auditChange(r, string(auth.BankWrite), "bank:"+b.Name, detail, err)
	if errors.Is(err, bank.ErrNotFound) {
		u.errorPage(w, r, http.StatusNotFound, fmt.Sprintf("Entry %d is not an active entry of bank %s: it does not exist there, or it was withdrawn already. Nothing was changed.", id, b.Name))
		return
	}
	if err != nil {
		u.fromError(w, r, err)
		return
	}
	u.syncIndex(r)
	next := "/banks/" + url.PathEscape(b.Name) + "?done=withdrawn"
	if p := r.PostFormValue("page"); p != "" {
		if n, err := strconv.Atoi(p); err == nil && n > 1 {
			next += "&page=" + strconv.Itoa(n)
		}
	}
	redirect(w, r, next)
}
