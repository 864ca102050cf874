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
