package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
)

// auditPageSize is the number of records per page of the audit log.
const auditPageSize = 50

// formTime is the format of datetime-local inputs; times are UTC.
const formTime = "2006-01-02T15:04"

type auditData struct {
	Form    auditForm
	Records []audit.Record
	// NextURL pages on to older records ("" at the oldest); FirstURL back
	// to the newest.
	NextURL, FirstURL string
	Results           []string
}

type auditForm struct {
	Actor, Action, Object, Result, From, To string
}

// auditLog lists the audit trail of the administrator's organisation, newest first, filtered by actor,
// action, object, result and time, paged by record id. Reading it is
// itself recorded.
func (u *ui) auditLog(w http.ResponseWriter, r *http.Request) {
	if err := authorize(r, auth.AuditRead, auth.Collection, "audit"); err != nil {
		u.fromError(w, r, err)
		return
	}
	q := r.URL.Query()
	d := &auditData{Results: []string{audit.OK, audit.Denied, audit.Failed}, Form: auditForm{
		Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Object: strings.TrimSpace(q.Get("object")), Result: q.Get("result"), From: q.Get("from"), To: q.Get("to")}}
	// Administrators are organisation-scoped (as user.admin is): they read
	// their own organisation's records. A principal without an
	// organisation would filter on nothing, so it gets auth.NoOwner,
	// which no record carries.
	org := principal(r).Org
	if org == "" {
		org = auth.NoOwner
	}
	f := audit.Filter{Org: org, Actor: d.Form.Actor, Action: d.Form.Action, Object: d.Form.Object, Result: d.Form.Result, Limit: auditPageSize + 1}
	var bad []string
	for _, t := range []struct {
		in  string
		out *time.Time
		nm  string
	}{{d.Form.From, &f.From, "from"}, {d.Form.To, &f.To, "to"}} {
		if t.in == "" {
			continue
		}
		v, err := time.Parse(formTime, t.in)
		if err != nil {
			bad = append(bad, t.nm)
			continue
		}
		*t.out = v
	}
	if n, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && n > 0 {
		f.BeforeID = n
		d.FirstURL = auditLink(q, 0)
	}
	v := u.newView(r, "Audit log", d)
	if len(bad) > 0 {
		v.Error = "Times are written like 2026-11-29T13:05 (UTC); " + strings.Join(bad, " and ") + " could not be read."
		u.render(w, r, http.StatusBadRequest, "audit", v)
		return
	}
	if u.Audit == nil {
		u.fail(w, r, errNoAudit)
		return
	}
	recs, err := u.Audit.List(r.Context(), f)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if len(recs) > auditPageSize {
		recs = recs[:auditPageSize]
		d.NextURL = auditLink(q, recs[len(recs)-1].ID)
	}
	d.Records = recs
	u.render(w, r, http.StatusOK, "audit", v)
}

// errNoAudit reports a server wired without its audit trail.
var errNoAudit = errors.New("ui: no audit trail configured")

// auditLink is the address of the page of records before id (0: the
// newest), with the same filters.
func auditLink(q url.Values, before int64) string {
	q2 := url.Values{}
	for _, k := range []string{"actor", "action", "object", "result", "from", "to"} {
		if v := q.Get(k); v != "" {
			q2.Set(k, v)
		}
	}
	if before > 0 {
		q2.Set("before", strconv.FormatInt(before, 10))
	}
	if len(q2) == 0 {
		return "/admin/audit"
	}
	return "/admin/audit?" + q2.Encode()
}
