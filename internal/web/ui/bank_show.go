package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats"
)

// pageSize is the number of entries per page of a bank.
const pageSize = 50

type bankData struct {
	Bank    bank.Bank
	Stats   bank.Stats
	Entries []bank.Entry
	Page    int
	HasNext bool
	// PrevURL and NextURL link the neighbouring pages ("" at an end).
	PrevURL, NextURL string
	Withdrawn        bool // the list includes withdrawn entries
	CanWrite         bool
	Formats          []string
	Import           *importReport
}

// errPageFull stops Export once a page is filled.
var errPageFull = errors.New("page full")

// bankShow shows a bank, its counts and one page of its entries.
func (u *ui) bankShow(w http.ResponseWriter, r *http.Request) {
	b, err := u.bankFor(r, r.PathValue("name"), auth.BankRead)
	if err != nil {
		u.fromError(w, r, err)
		return
	}
	d, err := u.bankData(r, b)
	if err != nil {
		u.fromError(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "bank", u.newView(r, "Bank "+b.Name, d))
}

func (u *ui) bankData(r *http.Request, b bank.Bank) (*bankData, error) {
	q := r.URL.Query()
	d := &bankData{Bank: b, Page: 1, Withdrawn: q.Get("withdrawn") == "1", Formats: formats.Formats(),
		CanWrite: auth.Decide(principal(r), auth.BankWrite, bankResource(b)) == nil}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && n < 1<<20 {
		d.Page = n
	}
	var err error
	if d.Stats, err = u.Banks.Stats(r.Context(), b.Name); err != nil {
		return nil, err
	}
	// The service streams a bank in id order; a page skips to its offset.
	// Deep pages of huge banks cost a scan, which a debugging UI can bear.
	skip, i := (d.Page-1)*pageSize, 0
	err = u.Banks.Export(r.Context(), b.Name, bank.ExportOptions{IncludeWithdrawn: d.Withdrawn}, func(e *bank.Entry) error {
		i++
		switch {
		case i <= skip:
			return nil
		case len(d.Entries) == pageSize:
			d.HasNext = true
			return errPageFull
		}
		d.Entries = append(d.Entries, *e)
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		return nil, err
	}
	path := "/banks/" + url.PathEscape(b.Name)
	if d.Page > 1 {
		d.PrevURL = pageLink(path, q, d.Page-1)
	}
	if d.HasNext {
		d.NextURL = pageLink(path, q, d.Page+1)
	}
	return d, nil
}

// pageLink is the address of another page of the same listing.
func pageLink(path string, q url.Values, page int) string {
	q2 := url.Values{}
	for k, v := range q {
		if k != "page" && k != "done" {
			q2[k] = v
		}
	}
	if page > 1 {
		q2.Set("page", strconv.Itoa(page))
	}
	if len(q2) == 0 {
		return path
	}
	return path + "?" + q2.Encode()
}
