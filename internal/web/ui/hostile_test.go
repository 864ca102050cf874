package ui_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/web"
)

// TestHostileRequests sends malformed and oversized requests to every UI
// route as several roles and wants no 5xx answer.
func TestHostileRequests(t *testing.T) {
	e := newEnvConfig(t, web.Config{MaxBodyBytes: 1 << 20})
	e.banks.Create(context.Background(), bank.Bank{Name: "b", SourceOrg: "hotline"})
	values := map[string][]string{
		"{name}":  {"b", "nope", "%00", "..", "a%2Fb", strings.Repeat("x", 300)},
		"{login}": {"nobody", "%FF", "admin-operator"},
		"{id}":    {"1", "-1", "abc", "99999999999999999999"},
	}
	queries := []string{"", "?page=-1", "?page=99999999999", "?page=x&withdrawn=%ZZ", "?before=abc&from=2026-13-45T99:99&to=x",
		"?next=//evil.example", "?done=<script>"}
	bodies := []struct {
		ctype string
		body  []byte
	}{
		{"application/x-www-form-urlencoded", []byte("a=%zz&&=&page=-5&entry=abc&reason=&hash=" + strings.Repeat("f", 5000))},
		{"multipart/form-data; boundary=xyz", []byte("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nunterminated")},
		{"multipart/form-data", []byte("no boundary")},
		{"application/json", []byte(`{"x":1}`)},
		{"application/x-www-form-urlencoded", bytes.Repeat([]byte("a"), 2<<20)}, // over the server's limit
	}
	for _, who := range []struct {
		role auth.Role
		org  string
	}{{"", ""}, {auth.HotlineAnalyst, "hotline"}, {auth.Admin, "operator"}, {auth.Partner, "platform"}} {
		if who.role == "" {
			e.newBrowser()
		} else {
			e.loginAs(who.role, who.org)
		}
		for _, rt := range e.routes {
			for _, path := range expand(rt.Path, values) {
				if rt.Method == "GET" {
					for _, q := range queries {
						e.hostile(t, who.role, "GET", path+q, "", nil)
					}
					continue
				}
				for _, b := range bodies {
					e.hostile(t, who.role, rt.Method, path, b.ctype, b.body)
				}
			}
		}
	}
}

func (e *env) hostile(t *testing.T, role auth.Role, method, path, ctype string, body []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return // not a URL a client could send
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if method == "POST" && e.csrf != "" {
		req.Header.Set("X-CSRF-Token", e.csrf)
	}
	a := e.do(req)
	if a.status >= 500 {
		t.Errorf("%s %s %s (%s): %d", role, method, path, ctype, a.status)
	}
}

// expand fills each {wildcard} of a route pattern with every sample value.
func expand(pattern string, values map[string][]string) []string {
	pattern = strings.TrimSuffix(pattern, "{$}")
	out := []string{pattern}
	for w, vs := range values {
		var next []string
		for _, p := range out {
			if !strings.Contains(p, w) {
				next = append(next, p)
				continue
			}
			for _, v := range vs {
				next = append(next, strings.Replace(p, w, v, 1))
			}
		}
		out = next
	}
	return out
}
