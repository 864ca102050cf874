package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats"
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
