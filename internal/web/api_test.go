package web

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestAPIBanksEntriesImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var who whoami
		f.getJSON("partner", "/api/v1/whoami", 200, &who)
		if who.Org != "platform" || who.Role != "partner" || !who.Token {
			t.Errorf("whoami: %+v", who)
		}
		var list struct{ Banks []apiBankView }
		f.getJSON("investigator", "/api/v1/banks", 200, &list)
		if len(list.Banks) != 2 {
			t.Fatalf("investigator banks: %+v", list)
		}
		code, body := f.do("hotline_analyst", "POST", "/api/v1/banks", strings.NewReader(`{"name":"imported","shared_with":["platform"]}`), "Content-Type", "application/json")
		if code != 201 {
			t.Fatalf("create: %d %s", code, body)
		}
		list2 := strings.Repeat("12", 32) + "\n" + strings.Repeat("34", 32) + "\nnot a hash\n"
		code, body = f.do("hotline_analyst", "POST", "/api/v1/banks/imported/import?format=plain&kind=pdq", strings.NewReader(list2))
		var res struct{ Inserted, Rejected int64 }
		if code != 200 || json.Unmarshal(body, &res) != nil || res.Inserted != 2 || res.Rejected != 1 {
			t.Fatalf("import: %d %s", code, body)
		}
		var page struct {
			Entries   []apiEntry
			NextAfter *int64 `json:"next_after"`
		}
		f.getJSON("hotline_analyst", "/api/v1/banks/imported/entries?limit=1", 200, &page)
		if len(page.Entries) != 1 || page.NextAfter == nil {
			t.Fatalf("page 1: %+v", page)
		}
		after := *page.NextAfter
		page.NextAfter = nil
		f.getJSON("hotline_analyst", "/api/v1/banks/imported/entries?limit=1&after="+itoa(after), 200, &page)
		if len(page.Entries) != 1 || page.NextAfter != nil || page.Entries[0].Value != strings.Repeat("34", 32) {
			t.Fatalf("page 2: %+v", page)
		}
		// Partners and monitors never see entries.
		for _, w := range []string{"partner", "monitor", "care_worker", "other-partner"} {
			if code, _ := f.do(w, "GET", "/api/v1/banks/imported/entries", nil); code != 403 {
				t.Errorf("%s reads entries: %d", w, code)
			}
		}
		// The partner the bank is shared with matches against it at once.
		code, body = f.do("partner", "POST", "/api/v1/lookup", strings.NewReader(`{"signal_type":"pdq","signal":"`+strings.Repeat("12", 32)+`"}`), "Content-Type", "application/json")
		if code != 200 || !strings.Contains(string(body), `"bank":"imported"`) || strings.Contains(string(body), "category") {
			t.Fatalf("partner lookup: %d %s", code, body)
		}
	})
}

func TestAPILookupUpload(t *testing.T) {
	img, err := os.ReadFile(filepath.Join("..", "..", "testdata", "samples", "bridge.jpg"))
	if err != nil {
		t.Skipf("sample image: %v", err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// The fixture's bridgePDQ lies a few bits from bridge.jpg's hash.
		code, body := f.do("investigator", "POST", "/api/v1/lookup?dihedral=true", bytes.NewReader(img), "Content-Type", "image/jpeg")
		var res struct{ Signals []apiSignalResult }
		if code != 200 || json.Unmarshal(body, &res) != nil || len(res.Signals) != 4 {
			t.Fatalf("upload lookup: %d %s", code, body)
		}
		p := res.Signals[3]
		if p.Kind != "pdq" || p.Quality == nil || p.LowQuality {
			t.Errorf("pdq result: %+v", p)
		}
		if len(p.Matches) != 1 || p.Matches[0].Category == nil || p.Matches[0].Category.Value != "A1" {
			t.Errorf("the investigator sees the category of a bank shared with the unit: %+v", p.Matches)
		}
	})
}

func TestAPIStatsForMonitor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		code, body := f.do("monitor", "GET", "/api/v1/stats", nil)
		if code != 200 || !strings.Contains(string(body), `"active_by_bank":{"positive":"\u003c10"}`) {
			t.Fatalf("stats: %d %s", code, body)
		}
		for _, leak := range []string{"hotline-csam", bridgePDQ, knownMD5} {
			if strings.Contains(string(body), leak) {
				t.Errorf("monitor's figures name %q", leak)
			}
		}
		for _, path := range []string{"/api/v1/banks", "/c/banks", "/m/lookup?signal_type=pdq&signal=" + bridgePDQ} {
			if code, _ := f.do("monitor", "GET", path, nil); code != 403 {
				t.Errorf("monitor GET %s: %d", path, code)
			}
		}
	})
}

func itoa(n int64) string { return strings.TrimSpace(string(must(json.Marshal(n)))) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestPartnerSeesNoSharingOrCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		code, body := f.do("partner", "GET", "/api/v1/banks/hotline-csam", nil)
		if code != 200 || strings.Contains(string(body), "shared_with") || strings.Contains(string(body), "active") {
			t.Fatalf("partner's view of a bank: %d %s", code, body)
		}
		code, body = f.do("hotline_analyst", "GET", "/api/v1/banks/hotline-csam", nil)
		if code != 200 || !strings.Contains(string(body), `"shared_with":["platform","police","vid"]`) || !strings.Contains(string(body), `"active":2`) {
			t.Fatalf("curator's view of a bank: %d %s", code, body)
		}
		code, body = f.do("partner", "GET", "/api/v1/index/status", nil)
		if code != 200 || strings.Contains(string(body), "pdq_entries") {
			t.Fatalf("partner's index status: %d %s", code, body)
		}
		// Metrics are for monitors and operators.
		if code, _ := f.do("partner", "GET", "/metrics", nil); code != 403 {
			t.Errorf("partner reads metrics: %d", code)
		}
		if code, _ := f.do("", "GET", "/metrics", nil); code != 401 {
			t.Errorf("anonymous metrics: %d", code)
		}
		if code, body := f.do("monitor", "GET", "/metrics", nil); code != 200 || !strings.Contains(string(body), "haven_index_pdq_entries 2") {
			t.Errorf("monitor's metrics: %d %.200s", code, body)
		}
	})
}

// TestTokenChangesAuditedAtOnce checks that a token's bank change is
// recorded before the answer, with its outcome, while its lookups wait for
// the batch.
func TestTokenChangesAuditedAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		code, body := f.do("hotline_analyst", "POST", "/c/bank/hotline-csam/signal", strings.NewReader(`{"md5":"`+strings.Repeat("e", 32)+`"}`))
		if code != 200 {
			t.Fatalf("add: %d %s", code, body)
		}
		var allowed, done bool
		for _, r := range f.audit.records() {
			if r.Actor == "token:hotline_analyst" && r.Action == "bank.write" && r.Object == "bank:hotline-csam" {
				allowed = allowed || r.Result == "ok" && strings.Contains(r.Detail, "request")
				done = done || strings.Contains(r.Detail, "added 1 signals")
			}
		}
		if !allowed || !done {
			t.Errorf("bank change not recorded at once with its outcome: %+v", f.audit.records())
		}
		// A refused token and a refused CSRF are recorded too (batched).
		f.do("", "GET", "/m/lookup", nil, "Authorization", "Bearer haven_forged")
		f.server.Close(t.Context())
		found := false
		for _, r := range f.audit.records() {
			found = found || r.Actor == "(unknown token)" && r.Result == "denied"
		}
		if !found {
			t.Errorf("refused token not recorded: %+v", f.audit.records())
		}
	})
}

// TestMustChangePassword checks that a session whose password was chosen
// by someone else reaches nothing but public routes until it is changed.
func TestMustChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		if _, err := f.auth.CreateUser(ctx, "hotline", "new-analyst", "hotline_analyst", "a-first-password-1"); err != nil {
			t.Fatal(err)
		}
		sess, _, err := f.auth.Login(ctx, "new-analyst", "a-first-password-1", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		cookie := SessionCookie + "=" + sess.ID
		if code, body := f.do("", "GET", "/api/v1/whoami", nil, "Cookie", cookie); code != 403 || !strings.Contains(string(body), "change your password") {
			t.Errorf("whoami before the change: %d %s", code, body)
		}
		if code, _ := f.do("", "GET", "/c/banks", nil, "Cookie", cookie); code != 403 {
			t.Errorf("banks before the change: %d", code)
		}
		if code, _ := f.do("", "GET", "/status", nil, "Cookie", cookie); code != 200 {
			t.Errorf("status before the change: %d", code)
		}
		if err := f.auth.ChangePassword(ctx, "new-analyst", "a-first-password-1", "my-own-password-22"); err != nil {
			t.Fatal(err)
		}
		sess, _, err = f.auth.Login(ctx, "new-analyst", "my-own-password-22", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if code, body := f.do("", "GET", "/api/v1/whoami", nil, "Cookie", SessionCookie+"="+sess.ID); code != 200 {
			t.Errorf("whoami after the change: %d %s", code, body)
		}
	})
}
