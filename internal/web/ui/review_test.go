package ui_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats"
	"github.com/havenproject/haven/internal/signal"
)

// importHashes adds hash lines (pytx local_file format) to a bank through
// the service, as a command-line import would, and syncs the index.
func (e *env) importHashes(name string, lines ...string) {
	e.t.Helper()
	ctx := context.Background()
	src, err := formats.NewReader("pytx", strings.NewReader(strings.Join(lines, "\n")+"\n"), formats.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.banks.Import(ctx, name, src, bank.ImportOptions{AddedBy: "test"}); err != nil {
		e.t.Fatal(err)
	}
	if err := e.follow.Sync(ctx); err != nil {
		e.t.Fatal(err)
	}
}

// TestOwnerlessBank: a bank without a source organisation, shared with
// the hotline, is the hotline's to use and nobody else's: another
// organisation's analyst and victim identification get 404, its partner
// neither lists it nor matches against it.
func TestOwnerlessBank(t *testing.T) {
	e := newEnv(t)
	if _, err := e.banks.Create(context.Background(), bank.Bank{Name: "ownerless", SharedWith: []string{"hotline"}}); err != nil {
		t.Fatal(err)
	}
	bridge := pdqOf(t, "bridge.jpg")
	e.importHashes("ownerless", "pdq "+bridge)

	e.loginAs(auth.HotlineAnalyst, "hotline")
	if a := e.get("/banks/ownerless"); a.status != http.StatusOK {
		t.Errorf("the organisation it is shared with: %d", a.status)
	}
	e.loginAs(auth.Partner, "hotline")
	mustContain(t, e.post("/match", url.Values{"hash": {"pdq:" + bridge}}), "ownerless")

	for _, role := range []auth.Role{auth.HotlineAnalyst, auth.VictimID, auth.Investigator} {
		e.loginAs(role, "police")
		if a := e.get("/banks/ownerless"); a.status != http.StatusNotFound {
			t.Errorf("%s of another organisation: GET /banks/ownerless %d, want 404", role, a.status)
		}
		if a := e.get("/banks"); strings.Contains(a.body, "ownerless") {
			t.Errorf("%s of another organisation lists the bank", role)
		}
	}
	e.loginAs(auth.Partner, "police")
	if a := e.get("/banks"); a.status != http.StatusOK || strings.Contains(a.body, "ownerless") {
		t.Errorf("another organisation's partner lists the bank (%d)", a.status)
	}
	a := e.post("/match", url.Values{"hash": {"pdq:" + bridge}})
	mustContain(t, a, "No match.")
	if strings.Contains(a.body, "ownerless") {
		t.Error("another organisation's partner matches against the bank")
	}
	// Nor may anyone write into it: it has no curating organisation.
	e.loginAs(auth.HotlineAnalyst, "hotline")
	a = e.postFile("/banks/ownerless/import", map[string]string{"format": "pytx"}, "file", "l.txt", fmt.Appendf(nil, "pdq %s\n", pdqOf(t, "rocket.jpg")))
	if a.status != http.StatusForbidden {
		t.Errorf("import into the ownerless bank: %d", a.status)
	}
}

// entries is an EntrySource over a slice.
type entries []bank.Entry

func (s *entries) Next() (bank.Entry, error) {
	if len(*s) == 0 {
		return bank.Entry{}, io.EOF
	}
	e := (*s)[0]
	*s = (*s)[1:]
	return e, nil
}

// auditCount counts the records of actor with action and object.
func (e *env) auditCount(actor, action, object string) int {
	e.t.Helper()
	recs, err := e.audit.List(context.Background(), audit.Filter{Actor: actor, Action: action, Object: object, Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(recs)
}

// TestMatchDetailsAndAudit: the debugger shows an entry's id, category
// and series only to those who may read the bank, and records each lookup
// and each bank whose details it showed.
func TestMatchDetailsAndAudit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.banks.Create(ctx, bank.Bank{Name: "hotline-csam", SourceOrg: "hotline", SharedWith: []string{"platform"}}); err != nil {
		t.Fatal(err)
	}
	bridge := pdqOf(t, "bridge.jpg")
	cat, err := bank.NewCategory(bank.SchemeNCMEC, "a1")
	if err != nil {
		t.Fatal(err)
	}
	src := entries{{Signal: signal.Signal{Kind: signal.PDQ, Value: bridge}, Category: cat, Series: "series-seven"}}
	res, err := e.banks.Import(ctx, "hotline-csam", &src, bank.ImportOptions{AddedBy: "test"})
	if err != nil || res.Inserted != 1 {
		t.Fatalf("import: %+v %v", res, err)
	}
	e.follow.Sync(ctx)
	var id int64
	e.db.SQL.QueryRow(`SELECT id FROM entries`).Scan(&id)
	entryCell := fmt.Sprintf(`<td class="num">%d</td>`, id)

	// A partner sees the verdict only, and reads no bank.
	e.loginAs(auth.Partner, "platform")
	a := e.post("/match", url.Values{"hash": {"pdq:" + bridge}})
	mustContain(t, a, "hotline-csam", `<td class="num">0</td>`)
	for _, detail := range []string{"series-seven", "A1", entryCell} {
		if strings.Contains(a.body, detail) {
			t.Errorf("a partner sees %q", detail)
		}
	}
	if n := e.auditCount("partner-platform", "match", "lookup:pdq"); n != 1 {
		t.Errorf("partner's lookup: %d match records, want 1", n)
	}
	if n := e.auditCount("partner-platform", "bank.read", ""); n != 0 {
		t.Errorf("partner: %d bank.read records, want 0", n)
	}

	// The curating hotline's analyst sees the details; a bare 64-digit
	// value is two lookups (SHA-256 and PDQ), the bank read once.
	e.loginAs(auth.HotlineAnalyst, "hotline")
	a = e.post("/match", url.Values{"hash": {bridge}})
	mustContain(t, a, "series-seven", "A1", entryCell)
	actor := "hotline_analyst-hotline"
	for _, obj := range []string{"lookup:pdq", "lookup:sha256"} {
		if n := e.auditCount(actor, "match", obj); n != 1 {
			t.Errorf("analyst: %d match records of %s, want 1", n, obj)
		}
	}
	if n := e.auditCount(actor, "bank.read", "bank:hotline-csam"); n != 1 {
		t.Errorf("analyst: %d bank.read records, want 1", n)
	}
	// An upload: four lookups (three digests and PDQ).
	img, err := os.ReadFile(samplePath(t, "bridge.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	a = e.postFile("/match", nil, "image", "bridge.jpg", img)
	mustContain(t, a, "series-seven")
	for _, obj := range []string{"lookup:md5", "lookup:sha1", "lookup:sha256", "lookup:pdq"} {
		if n := e.auditCount(actor, "match", obj); n < 1 {
			t.Errorf("upload: no match record of %s", obj)
		}
	}
	if n := e.auditCount(actor, "hash.media", "upload"); n != 1 {
		t.Errorf("upload: %d hash.media records, want 1", n)
	}
}

// breakAudit makes every audit append fail (a trigger refuses inserts)
// until the returned function is called.
func (e *env) breakAudit() (repair func()) {
	e.t.Helper()
	if _, err := e.db.Exec(context.Background(), `CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit trail down'); END`); err != nil {
		e.t.Fatal(err)
	}
	return func() {
		if _, err := e.db.Exec(context.Background(), `DROP TRIGGER audit_down`); err != nil {
			e.t.Fatal(err)
		}
	}
}

func (e *env) sessionsOf(login string) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL.QueryRow(`SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = ?`, login).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestLoginAuditFailsClosed: a login that cannot be recorded opens no
// session; names no account can have are not stored as actors.
func TestLoginAuditFailsClosed(t *testing.T) {
	e := newEnv(t)
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")
	repair := e.breakAudit()
	a := e.login("ana", "correct horse battery")
	if a.status != http.StatusServiceUnavailable || strings.Contains(strings.Join(a.header.Values("Set-Cookie"), "\n"), "haven_session=") {
		t.Errorf("unrecorded login: %d, cookies %q", a.status, a.header.Values("Set-Cookie"))
	}
	mustContain(t, a, "audit trail")
	if n := e.sessionsOf("ana"); n != 0 {
		t.Errorf("unrecorded login left %d sessions", n)
	}
	if a = e.login("ana", "wrong password!"); a.status != http.StatusServiceUnavailable {
		t.Errorf("unrecorded failed login: %d", a.status)
	}
	repair()
	if a = e.login("ana", "correct horse battery"); a.status != http.StatusSeeOther || e.sessionsOf("ana") != 1 {
		t.Errorf("login once recorded again: %d, %d sessions", a.status, e.sessionsOf("ana"))
	}
	e.newBrowser()
	e.login("ana", "wrong password!")
	// A password typed into the name field is not kept.
	e.newBrowser()
	e.login("My Secret Password!", "x")
	recs, err := e.audit.List(context.Background(), audit.Filter{Action: "login", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var invalid bool
	for _, r := range recs {
		if strings.Contains(strings.ToLower(r.Actor+r.Object+r.Detail), "secret") {
			t.Errorf("the typed name is in the trail: %+v", r)
		}
		invalid = invalid || (r.Actor == auth.InvalidLoginName && r.Result == audit.Denied)
	}
	if !invalid {
		t.Errorf("no denied login record with actor %q", auth.InvalidLoginName)
	}
	// A refused login of a known account carries its organisation.
	if n := len(e.auditRecords(audit.Filter{Actor: "ana", Org: "hotline", Result: audit.Denied})); n != 1 {
		t.Errorf("%d denied login records of ana in hotline, want 1", n)
	}
}

func (e *env) auditRecords(f audit.Filter) []audit.Record {
	e.t.Helper()
	f.Limit = 1000
	recs, err := e.audit.List(context.Background(), f)
	if err != nil {
		e.t.Fatal(err)
	}
	return recs
}

// TestChangesRecorded: password changes, refusals answered 404 and the
// outcome of changes are in the trail.
func TestChangesRecorded(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.banks.Create(ctx, bank.Bank{Name: "hotline-bank", SourceOrg: "hotline"})
	e.importHashes("hotline-bank", "pdq "+pdqOf(t, "bridge.jpg"))
	var id int64
	e.db.SQL.QueryRow(`SELECT id FROM entries`).Scan(&id)

	// Password changes: denied, error, ok.
	e.seedUser("hotline", "ana", auth.HotlineAnalyst, "correct horse battery")
	e.login("ana", "correct horse battery")
	e.csrf = csrf(t, e.get("/account/password"))
	e.post("/account/password", url.Values{"current": {"wrong"}, "new": {"a long new password"}, "confirm": {"a long new password"}})
	e.post("/account/password", url.Values{"current": {"correct horse battery"}, "new": {"short"}, "confirm": {"short"}})
	a := e.post("/account/password", url.Values{"current": {"correct horse battery"}, "new": {"a long new password"}, "confirm": {"a long new password"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("password change: %d", a.status)
	}
	var results []string
	for _, r := range e.auditRecords(audit.Filter{Actor: "ana", Action: "password.change", Object: "user:ana"}) {
		results = append([]string{r.Result}, results...)
	}
	if strings.Join(results, ",") != "denied,error,ok" {
		t.Errorf("password change records: %v, want denied,error,ok", results)
	}

	// Banks another organisation may not know of: 404, recorded as denied.
	e.loginAs(auth.HotlineAnalyst, "police")
	for _, name := range []string{"hotline-bank", "no-such-bank"} {
		if a := e.get("/banks/" + name); a.status != http.StatusNotFound {
			t.Errorf("GET /banks/%s: %d", name, a.status)
		}
		if n := len(e.auditRecords(audit.Filter{Actor: "hotline_analyst-police", Object: "bank:" + name, Result: audit.Denied})); n != 1 {
			t.Errorf("refusal of bank:%s: %d denied records, want 1", name, n)
		}
	}

	// Changes: the outcome is recorded after the decision.
	e.loginAs(auth.HotlineAnalyst, "hotline")
	actor := "hotline_analyst-hotline"
	a = e.post("/banks/hotline-bank/withdraw", url.Values{"entry": {fmt.Sprint(id + 1000)}, "reason": {"no such entry"}})
	if a.status != http.StatusNotFound || strings.Contains(a.body, "Entry withdrawn.") {
		t.Errorf("withdraw a missing entry: %d", a.status)
	}
	mustContain(t, a, "not an active entry", "Nothing was changed.")
	if a = e.post("/banks/hotline-bank/withdraw", url.Values{"entry": {fmt.Sprint(id)}, "reason": {"stock photo"}}); a.status != http.StatusSeeOther {
		t.Errorf("withdraw: %d", a.status)
	}
	// Withdrawn already: not found, not "withdrawn" again.
	if a = e.post("/banks/hotline-bank/withdraw", url.Values{"entry": {fmt.Sprint(id)}, "reason": {"again"}}); a.status != http.StatusNotFound {
		t.Errorf("withdraw twice: %d", a.status)
	}
	var outcomes []string
	for _, r := range e.auditRecords(audit.Filter{Actor: actor, Action: "bank.write", Object: "bank:hotline-bank"}) {
		if strings.Contains(r.Detail, "withdraw entry") {
			outcomes = append([]string{r.Result}, outcomes...)
		}
	}
	if strings.Join(outcomes, ",") != "error,ok,error" {
		t.Errorf("withdraw outcomes: %v, want error,ok,error", outcomes)
	}
	e.post("/banks", url.Values{"name": {"new-bank"}, "kind": {"positive"}})
	if n := len(e.auditRecords(audit.Filter{Actor: actor, Action: "bank.write", Object: "bank:new-bank"})); n != 2 {
		t.Errorf("bank creation: %d records, want 2 (decision, outcome)", n)
	}
	// A change whose decision cannot be recorded is not made.
	repair := e.breakAudit()
	a = e.post("/banks", url.Values{"name": {"unrecorded"}, "kind": {"positive"}})
	repair()
	if _, err := e.banks.Get(ctx, "unrecorded"); err == nil || a.status != http.StatusServiceUnavailable {
		t.Errorf("unrecorded creation: %d, bank made: %v", a.status, err == nil)
	}
}

// TestOrgRoles: the users and tokens pages offer only the roles the
// organisation may hold, and say clearly when a role is refused.
func TestOrgRoles(t *testing.T) {
	e := newEnv(t)
	if _, err := e.auth.CreateOrg(context.Background(), "platform", "Platform", auth.Partner, auth.Admin); err != nil {
		t.Fatal(err)
	}
	e.loginAs(auth.Admin, "platform")
	page := e.get("/admin/users")
	mustContain(t, page, `<option value="partner"`, `<option value="admin"`)
	if strings.Contains(page.body, `<option value="victim_id"`) {
		t.Error("the users form offers a role the organisation may not hold")
	}
	a := e.post("/admin/users", url.Values{"login": {"vic"}, "org": {"platform"}, "role": {"victim_id"}})
	if a.status != http.StatusBadRequest {
		t.Errorf("user with a refused role: %d", a.status)
	}
	mustContain(t, a, "may not hold the role victim_id", "it may hold: partner, admin")
	if n := len(e.auditRecords(audit.Filter{Actor: "admin-platform", Object: "user:vic", Result: audit.Denied})); n != 1 {
		t.Errorf("refused role: %d denied records, want 1", n)
	}
	// Objects that do not exist: 404, recorded as denied.
	if a := e.post("/admin/users/nobody/disable", nil); a.status != http.StatusNotFound {
		t.Errorf("disable a missing user: %d", a.status)
	}
	if a := e.post("/admin/tokens/999999/revoke", nil); a.status != http.StatusNotFound {
		t.Errorf("revoke a missing token: %d", a.status)
	}
	for _, obj := range []string{"user:nobody", "token:999999"} {
		if n := len(e.auditRecords(audit.Filter{Actor: "admin-platform", Object: obj, Result: audit.Denied})); n != 1 {
			t.Errorf("%s: %d denied records, want 1", obj, n)
		}
	}
	page = e.get("/admin/tokens")
	mustContain(t, page, `<option value="partner"`)
	if strings.Contains(page.body, `<option value="investigator"`) {
		t.Error("the tokens form offers a role the organisation may not hold")
	}
	a = e.post("/admin/tokens", url.Values{"name": {"scanner"}, "org": {"platform"}, "role": {"investigator"}, "days": {"30"}})
	if a.status != http.StatusBadRequest {
		t.Errorf("token with a refused role: %d", a.status)
	}
	mustContain(t, a, "may not hold the role investigator")
}

// TestDashboardFigures: a monitor reads small index counts as "fewer than
// 10"; figures over all banks are for roles that read statistics, not for
// partners.
func TestDashboardFigures(t *testing.T) {
	e := newEnv(t)
	e.banks.Create(context.Background(), bank.Bank{Name: "hotline-bank", SourceOrg: "hotline"})
	e.importHashes("hotline-bank", "pdq "+pdqOf(t, "bridge.jpg"))
	e.loginAs(auth.Monitor, "rapporteur")
	a := e.get("/")
	mustContain(t, a, "<dt>PDQ hashes</dt><dd>fewer than 10</dd>", "<dt>Banks indexed</dt><dd>fewer than 10</dd>")
	if strings.Contains(a.body, "<dd>1</dd>") {
		t.Errorf("a monitor sees an exact small count:\n%s", a.body)
	}
	e.loginAs(auth.Admin, "operator")
	mustContain(t, e.get("/"), "<dt>PDQ hashes</dt><dd>1</dd>")
	e.loginAs(auth.Partner, "platform")
	if a = e.get("/"); strings.Contains(a.body, "PDQ hashes") || strings.Contains(a.body, "Banks indexed") {
		t.Error("a partner sees sizes over all banks")
	}
	mustContain(t, a, "Last brought up to date")
}
