package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// TestAdminAndAudit runs the account commands on a fresh embedded
// database, checks that each left an audit record, then edits a record
// in the database and checks that 'haven audit verify' names it.
func TestAdminAndAudit(t *testing.T) {
	data := t.TempDir()
	haven := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		return runHaven(t, stdin, append([]string{"--data", data}, args...)...)
	}
	mustRun := func(stdin string, args ...string) string {
		t.Helper()
		code, out, errOut := haven(stdin, args...)
		if code != exitOK {
			t.Fatalf("haven %v: exit %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	mustRun("", "admin", "create-org", "hotline", "--display", "National Hotline", "--roles", "admin, hotline_analyst,monitor")
	if out := mustRun("", "admin", "create-org", "platform-a", "--roles", "partner"); !strings.Contains(out, "roles: partner") {
		t.Errorf("create-org:\n%s", out)
	}
	mustRun("", "admin", "create-org", "bare", "--roles", "monitor")
	mustRun("", "admin", "set-org-roles", "bare", "--roles", "none")
	out := mustRun("", "admin", "create-user", "alice", "--org", "hotline", "--role", "admin")
	otp := regexp.MustCompile(`one-time password: (\S{20})\n`).FindStringSubmatch(out)
	if otp == nil {
		t.Fatalf("create-user printed no one-time password:\n%s", out)
	}
	if out := mustRun("a chosen passphrase\n", "admin", "create-user", "bob", "--org", "hotline", "--role", "hotline_analyst", "--password-stdin"); strings.Contains(out, "one-time") {
		t.Errorf("password from stdin, yet one generated:\n%s", out)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"", []string{"admin", "create-org", "police"}, exitUsage, "--roles is required"},
		{"", []string{"admin", "create-org", "police", "--roles", "investigator,root"}, exitUsage, "unknown role"},
		{"", []string{"admin", "create-user", "carol", "--org", "platform-a", "--role", "victim_id"}, exitPartial, "may hold partner, not victim_id"},
		{"", []string{"admin", "create-user", "carol", "--org", "bare", "--role", "monitor"}, exitPartial, "may hold none"},
		{"", []string{"admin", "create-token", "--org", "platform-a", "--name", "x", "--role", "investigator"}, exitPartial, "role not allowed"},
		{"", []string{"admin", "set-org-roles", "hotline", "--roles", "hotline_analyst"}, exitPartial, "user alice (admin)"},
		{"", []string{"admin", "set-org-roles", "hotline"}, exitUsage, "--roles is required"},
		{"", []string{"admin", "create-org", "police", "--roles", "none"}, exitUsage, "unknown role"},
		{"", []string{"admin", "create-org", "police", "--roles", " , "}, exitUsage, "no role named"},
		{"", []string{"admin", "set-role", "bob", "--role", "partner"}, exitPartial, "may hold hotline_analyst,monitor,admin, not partner"},
		{"", []string{"admin", "set-role", "bob", "--role", "root"}, exitUsage, "unknown role"},
		{"", []string{"admin", "create-user", "carol", "--org", "hotline", "--role", "root"}, exitUsage, "unknown role"},
		{"", []string{"admin", "create-user", "carol", "--role", "monitor"}, exitUsage, "--org"},
		{"", []string{"admin", "create-user", "alice", "--org", "hotline", "--role", "monitor"}, exitPartial, "already exists"},
		{"short\n", []string{"admin", "create-user", "carol", "--org", "hotline", "--role", "monitor", "--password-stdin"}, exitPartial, "at least 12"},
		{"", []string{"admin", "set-password", "nobody", "--password-stdin"}, exitUsage, "no password"},
		{"", []string{"admin", "revoke-token", "x"}, exitUsage, "token number"},
		{"", []string{"audit", "verify", "--anchor", "3:xyz"}, exitUsage, "ID:HASH"},
		{"", []string{"audit", "export", "--from", "yesterday"}, exitUsage, "RFC 3339"},
	} {
		code, out, errOut := haven(tc.stdin, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("haven %v: exit %d, want %d with %q\n%s%s", tc.args, code, tc.code, tc.msg, out, errOut)
		}
	}
	mustRun("", "admin", "set-org-roles", "bare", "--roles", "monitor")
	if out := mustRun("", "admin", "list-orgs"); !regexp.MustCompile(`hotline\s+National Hotline\s+hotline_analyst,monitor,admin\s`).MatchString(out) ||
		!regexp.MustCompile(`bare\s+bare\s+monitor\s`).MatchString(out) {
		t.Errorf("list-orgs:\n%s", out)
	}
	out = mustRun("", "admin", "list-users")
	if !strings.Contains(out, "alice") || !strings.Contains(out, "must change password") || !strings.Contains(out, "hotline_analyst") {
		t.Errorf("list-users:\n%s", out)
	}
	mustRun("", "admin", "set-role", "bob", "--role", "monitor")
	mustRun("", "admin", "set-role", "bob", "--role", "hotline_analyst")
	mustRun("", "admin", "set-password", "bob")
	mustRun("", "admin", "disable-user", "bob")
	if out := mustRun("", "admin", "list-users", "--org", "hotline"); !strings.Contains(out, "disabled") {
		t.Errorf("list-users after disable:\n%s", out)
	}
	mustRun("", "admin", "enable-user", "bob")
	mustRun("", "admin", "unlock-user", "bob")

	token := strings.TrimSpace(mustRun("", "admin", "create-token", "--org", "platform-a", "--name", "scanner", "--ttl", "720h"))
	if _, err := auth.ParseToken(token); err != nil {
		t.Fatalf("create-token printed %q: %v", token, err)
	}
	out = mustRun("", "admin", "list-tokens", "--json")
	var tokens []auth.Token
	if err := json.Unmarshal([]byte(out), &tokens); err != nil || len(tokens) != 1 || tokens[0].Org != "platform-a" || strings.Contains(out, token) {
		t.Fatalf("list-tokens: %v\n%s", err, out)
	}
	mustRun("", "admin", "revoke-token", "1")
	if out := mustRun("", "admin", "list-tokens"); !strings.Contains(out, "revoked") {
		t.Errorf("list-tokens after revoke:\n%s", out)
	}
	// The generated password logs in; the CLI's changes are in the trail.
	withStore(t, data, func(db *store.DB) {
		s := auth.NewService(db, auth.Options{})
		if _, _, err := s.Login(context.Background(), "alice", otp[1], "127.0.0.1"); err != nil {
			t.Errorf("one-time password: %v", err)
		}
	})

	out = mustRun("", "audit", "verify")
	head := regexp.MustCompile(`head (\d+) ([0-9a-f]{64})`).FindStringSubmatch(out)
	if !strings.Contains(out, "intact") || head == nil {
		t.Fatalf("verify:\n%s", out)
	}
	out = mustRun("", "audit", "export", "--from", "2000-01-01")
	var actions []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r audit.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(r.Actor, "cli:") {
			t.Errorf("actor %q", r.Actor)
		}
		actions = append(actions, r.Action+"/"+r.Result)
	}
	got := strings.Join(actions, " ")
	for _, want := range []string{"org.create/ok", "org.set_roles/ok", "org.set_roles/error", "user.set_role/ok", "user.set_role/error", "user.create/ok", "user.create/error", "user.set_password/ok", "user.disable/ok",
		"token.create/ok", "token.revoke/ok", "audit.verify/ok"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s in the trail: %s", want, got)
		}
	}
	file := filepath.Join(t.TempDir(), "audit.jsonl")
	mustRun("", "audit", "export", "-o", file)
	if b, err := os.ReadFile(file); err != nil || bytes.Count(b, []byte("\n")) < len(actions) {
		t.Errorf("export to a file: %v, %d bytes", err, len(b))
	}
	if out := mustRun("", "audit", "export", "--to", "2000-01-01"); out != "" {
		t.Errorf("export before any record: %q", out)
	}

	// Someone with the database edits the record of a token's creation.
	withStore(t, data, func(db *store.DB) {
		ctx := context.Background()
		for _, q := range []string{`DROP TRIGGER audit_log_no_update`,
			`UPDATE audit_log SET object = 'token:99' WHERE action = 'token.create'`} {
			if _, err := db.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	})
	code, out, errOut := haven("", "audit", "verify", "--anchor", head[1]+":"+head[2])
	if code != 1 || !regexp.MustCompile(`broken at record \d+: content does not match its hash`).MatchString(errOut) {
		t.Errorf("verify after an edit: exit %d\n%s%s", code, out, errOut)
	}
}

func withStore(t *testing.T, data string, fn func(db *store.DB)) {
	t.Helper()
	db, err := store.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(db)
}

// TestAuditVerifyCatchesEdit edits, then deletes, a record directly in
// each database, as someone with database access would, and checks that
// 'haven audit verify' names the broken record.
func TestAuditVerifyCatchesEdit(t *testing.T) {
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		where := "--data"
		dropUpdate, dropDelete := `DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`
		if strings.HasPrefix(dsn, "postgres") {
			where = "--database"
			dropUpdate, dropDelete = dropUpdate+` ON audit_log`, dropDelete+` ON audit_log`
		}
		haven := func(args ...string) (int, string, string) {
			t.Helper()
			return runHaven(t, "", append([]string{where, dsn}, args...)...)
		}
		for _, org := range []string{"hotline", "police", "platform-a"} {
			if code, out, errOut := haven("admin", "create-org", org, "--roles", "monitor"); code != exitOK {
				t.Fatalf("create-org: exit %d\n%s%s", code, out, errOut)
			}
		}
		if code, out, errOut := haven("audit", "verify"); code != exitOK || !strings.Contains(out, "intact") {
			t.Fatalf("verify before: exit %d\n%s%s", code, out, errOut)
		}
		for _, tc := range []struct{ drop, edit string }{
			{dropUpdate, `UPDATE audit_log SET object = 'org:elsewhere' WHERE object = 'org:police'`},
			{dropDelete, `DELETE FROM audit_log WHERE object = 'org:police'`},
		} {
			withStore(t, dsn, func(db *store.DB) {
				for _, q := range []string{tc.drop, tc.edit} {
					if _, err := db.Exec(context.Background(), q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
			})
			code, out, errOut := haven("audit", "verify")
			if code != 1 || !strings.Contains(errOut, "broken at record") {
				t.Errorf("verify after %q: exit %d\n%s%s", tc.edit, code, out, errOut)
			}
		}
	})
}
