package ui

import (
	"net/http"

	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
)

type dashboardData struct {
	// ShowIndex and ShowBanks say what the role may see.
	ShowIndex, ShowBanks bool
	IndexBanks           int
	IndexPDQ             int
	IndexExact           []kindCount
	Follow               *match.FollowStatus
	Lag                  string
	Banks                int
	Active, Withdrawn    int64
}

type kindCount struct {
	Kind  signal.Kind
	Count int
}

// dashboard shows who is logged in, the index's size and the counts of
// the banks the principal may see.
func (u *ui) dashboard(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var d dashboardData
	if auth.Decide(p, auth.IndexRead, auth.Collection) == nil && u.Index != nil {
		st := u.Index.Stats()
		d.ShowIndex, d.IndexBanks, d.IndexPDQ = true, st.Banks, st.PDQ
		if u.Follower != nil {
			f := u.Follower.Status()
			d.Follow, d.Lag = &f, f.Lag(u.Now()).Round(time.Second).String()
		}
		for _, k := range signal.Kinds {
			if n, ok := st.Exact[k]; ok {
				d.IndexExact = append(d.IndexExact, kindCount{k, n})
			}
		}
	}
	if auth.Decide(p, auth.BankList, auth.Collection) == nil {
		banks, err := u.visibleBanks(r)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		d.ShowBanks, d.Banks = true, len(banks)
		for _, b := range banks {
			d.Active += b.Active
			d.Withdrawn += b.Withdrawn
		}
	}
	u.render(w, r, http.StatusOK, "dashboard", u.newView(r, "Dashboard", d))
}
