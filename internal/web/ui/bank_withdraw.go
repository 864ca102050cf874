package ui

import (
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
	_, err = u.Banks.Withdraw(r.Context(), b.Name, bank.Withdrawal{EntryIDs: []int64{id}, By: principal(r).Name, Reason: reason})
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
