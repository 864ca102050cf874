package ui_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
)

// postFile posts a multipart form with one file field.
func (e *env) postFile(path string, fields map[string]string, field, filename string, data []byte) answer {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if _, ok := fields["csrf_token"]; !ok && e.csrf != "" {
		mw.WriteField("csrf_token", e.csrf)
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile(field, filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(req)
}

func TestBankCreateImportWithdraw(t *testing.T) {
	e := newEnv(t)
	e.loginAs(auth.HotlineAnalyst, "hotline")

	a := e.post("/banks", url.Values{"name": {"hotline-test"}, "description": {"test bank"}, "kind": {"positive"}, "shared_with": {"police, platform"}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/banks/hotline-test?done=created" {
		t.Fatalf("create: %d %q", a.status, a.header.Get("Location"))
	}
	b, err := e.banks.Get(context.Background(), "hotline-test")
	if err != nil {
		t.Fatal(err)
	}
	if b.SourceOrg != "hotline" || strings.Join(b.SharedWith, ",") != "platform,police" {
		t.Errorf("bank %+v", b)
	}
	mustContain(t, e.get("/banks/hotline-test?done=created"), "Bank created.", "hotline-test", "This bank has no entries yet.")

	// A name taken is said on the form, which keeps what was typed.
	a = e.post("/banks", url.Values{"name": {"hotline-test"}, "description": {"again"}, "kind": {"positive"}})
	if a.status != http.StatusConflict {
		t.Errorf("duplicate create: %d", a.status)
	}
	mustContain(t, a, "exists already", `value="again"`)
	if a = e.post("/banks", url.Values{"name": {"bad name!"}, "kind": {"positive"}}); a.status != http.StatusBadRequest {
		t.Errorf("invalid name: %d", a.status)
	}

	// A pytx local_file list, detected from its content.
	list := fmt.Sprintf("pdq %s\npdq %s\n", pdqOf(t, "bridge.jpg"), pdqOf(t, "rocket.jpg"))
	a = e.postFile("/banks/hotline-test/import", map[string]string{"format": "auto"}, "file", "list.txt", []byte(list))
	if a.status != http.StatusOK {
		t.Fatalf("import: %d\n%s", a.status, a.body)
	}
	mustContain(t, a, "Import of list.txt (pytx)", "<dt>Added</dt><dd>2</dd>", "<dt>Rejected</dt><dd>0</dd>")
	// Again with a bad line, the format named: nothing new, one rejection
	// reported with its position.
	a = e.postFile("/banks/hotline-test/import", map[string]string{"format": "pytx"}, "file", "again.txt",
		[]byte(fmt.Sprintf("pdq %s\npdq nothex\n", pdqOf(t, "bridge.jpg"))))
	mustContain(t, a, "<dt>Added</dt><dd>0</dd>", "<dt>Already present</dt><dd>1</dd>", "<dt>Rejected</dt><dd>1</dd>", "record 2")
	st, _ := e.banks.Stats(context.Background(), "hotline-test")
	if st.Active != 2 {
		t.Errorf("active after import: %d", st.Active)
	}
	// Undetectable content is refused with a message.
	a = e.postFile("/banks/hotline-test/import", nil, "file", "x.bin", []byte("\x00\x01 what is this"))
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "cannot tell the format") {
		t.Errorf("undetectable import: %d", a.status)
	}

	// Withdraw the first entry; it leaves the active list and shows with
	// the withdrawn ones.
	var first int64
	e.banks.Export(context.Background(), "hotline-test", bank.ExportOptions{}, func(en *bank.Entry) error {
		if first == 0 {
			first = en.ID
		}
		return nil
	})
	a = e.post("/banks/hotline-test/withdraw", url.Values{"entry": {fmt.Sprint(first)}, "reason": {"stock photo"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %s", a.status, a.body)
	}
	a = e.get("/banks/hotline-test?withdrawn=1")
	mustContain(t, a, "withdrawn", "stock photo", "by hotline_analyst-hotline")
	if st, _ = e.banks.Stats(context.Background(), "hotline-test"); st.Active != 1 || st.Withdrawn != 1 {
		t.Errorf("after withdraw: %+v", st)
	}
	if a = e.post("/banks/hotline-test/withdraw", url.Values{"entry": {fmt.Sprint(first)}}); a.status != http.StatusBadRequest {
		t.Errorf("withdraw without reason: %d", a.status)
	}
}

func TestBankPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.banks.Create(ctx, bank.Bank{Name: "big", SourceOrg: "hotline"}); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := range 120 {
		lines = append(lines, fmt.Sprintf("%064x", i+1))
	}
	e.loginAs(auth.HotlineAnalyst, "hotline")
	a := e.postFile("/banks/big/import", map[string]string{"format": "plain", "kind": "sha256"}, "file", "l.txt", []byte(strings.Join(lines, "\n")))
	mustContain(t, a, "<dt>Added</dt><dd>120</dd>")

	p1 := e.get("/banks/big")
	mustContain(t, p1, "Page 1", `href="/banks/big?page=2"`, fmt.Sprintf("%064x", 1), fmt.Sprintf("%064x", 50))
	if strings.Contains(p1.body, fmt.Sprintf("%064x", 51)) || strings.Contains(p1.body, "Previous page") {
		t.Error("page 1 shows more than its 50 entries")
	}
	p3 := e.get("/banks/big?page=3")
	mustContain(t, p3, "Page 3", fmt.Sprintf("%064x", 120), `href="/banks/big?page=2"`)
	if strings.Contains(p3.body, "Next page") {
		t.Error("last page links a next one")
	}
	mustContain(t, e.get("/banks/big?page=9"), "No entries on this page")
	mustContain(t, e.get("/banks"), `<a href="/banks/big">big</a>`, `<td class="num">120</td>`)
}
