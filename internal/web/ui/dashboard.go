package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
)

// minFigure is the smallest count a monitor's dashboard shows; smaller
// ones read "fewer than 10", as the statistics API does, so that figures
// never single out a case or a child.
const minFigure = 10

type dashboardData struct {
	// ShowIndex (freshness), ShowSizes (sizes over all banks) and
	// ShowBanks say what the role may see.
	ShowIndex, ShowSizes, ShowBanks bool
	IndexBanks, IndexPDQ, IndexVPDQ string
	IndexExact                      []kindCount
	Follow                          *match.FollowStatus
	Lag                             string
	// Applied counts the changes applied since loading (a figure too).
	Applied           string
	Banks             int
	Active, Withdrawn int64
}

type kindCount struct {
	Kind  signal.Kind
	Count string
}

// dashboard shows who is logged in, the index's freshness, its size over
// all banks to those who read figures (statistics), and the counts of
// the banks the principal may see.
func (u *ui) dashboard(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var d dashboardData
	if auth.Decide(p, auth.IndexRead, auth.Collection) == nil && u.Index != nil {
		d.ShowIndex = true
		if u.Follower != nil {
			f := u.Follower.Status()
			d.Follow, d.Lag, d.Applied = &f, f.Lag(u.Now()).Round(time.Second).String(), figure(p, int(f.Applied))
		}
	}
	if auth.Decide(p, auth.StatsRead, auth.Collection) == nil && u.Index != nil {
		st := u.Index.Stats()
		fig := func(n int) string { return figure(p, n) }
		d.ShowSizes, d.IndexBanks, d.IndexPDQ, d.IndexVPDQ = true, fig(st.Banks), fig(st.PDQ), fig(st.VPDQ)
		for _, k := range signal.Kinds {
			if n, ok := st.Exact[k]; ok {
				d.IndexExact = append(d.IndexExact, kindCount{k, fig(n)})
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

// figure is n as p may see it: a monitor reads counts from 1 to 9 as
// "fewer than 10".
func figure(p auth.Principal, n int) string {
	if p.Role == auth.Monitor && n > 0 && n < minFigure {
		return "fewer than " + strconv.Itoa(minFigure)
	}
	return strconv.Itoa(n)
}
