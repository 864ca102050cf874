package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
)

// FuzzRequest sends arbitrary methods, paths, queries and bodies, as an
// authorised principal, and fails on any status of 500 or more. The
// principal is injected in the context (no token round trip), so that
// every handler is reached (a real token of a hotline analyst).
func FuzzRequest(f *testing.F) {
	seeds := []struct{ method, target, ctype, body string }{
		{"GET", "/m/lookup?signal_type=pdq&signal=" + bridgePDQ, "", ""},
		{"GET", "/m/raw_lookup?signal_type=md5&signal=" + knownMD5 + "&include_distance=true", "", ""},
		{"POST", "/m/compare", "application/json", `{"pdq":["` + bridgePDQ + `","` + bridgePDQ + `"]}`},
		{"POST", "/c/banks", "application/json", `{"name":"n"}`},
		{"POST", "/c/bank/hotline-csam/signal", "application/json", `{"md5":"` + knownMD5 + `"}`},
		{"PUT", "/c/bank/hotline-csam", "application/json", `{"enabled":true}`},
		{"POST", "/api/v1/lookup", "application/json", `{"signal_type":"pdq","signal":"` + bridgePDQ + `"}`},
		{"POST", "/api/v1/banks/hotline-csam/import?format=plain&kind=md5", "", knownMD5 + "\n"},
		{"GET", "/api/v1/banks/hotline-csam/entries?after=1&limit=2", "", ""},
		{"GET", "/m/lookup?signal_type=vpdq&signal=" + url.QueryEscape(`["`+bridgePDQ+`,100,0.000"]`), "", ""},
		{"POST", "/h/hash", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"x\"\r\n\r\nGIF89a\r\n--b--\r\n"},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.ctype, []byte(s.body))
	}
	db, err := store.Open(f.Context(), filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	banks := bank.NewService(db)
	if _, err := banks.Create(f.Context(), bank.Bank{Name: "hotline-csam", SourceOrg: "hotline"}); err != nil {
		f.Fatal(err)
	}
	src := sliceSource{{Signal: signal.Signal{Kind: signal.PDQ, Value: bridgePDQ}}}
	if _, err := banks.Import(f.Context(), "hotline-csam", &src, bank.ImportOptions{AddedBy: "fuzz"}); err != nil {
		f.Fatal(err)
	}
	follower, err := match.NewFollower(f.Context(), banks)
	if err != nil {
		f.Fatal(err)
	}
	authSvc := auth.NewService(db, auth.Options{Hash: cheap})
	if _, err := authSvc.CreateOrg(f.Context(), "hotline", "Hotline", auth.HotlineAnalyst); err != nil {
		f.Fatal(err)
	}
	token, _, err := authSvc.CreateTokenFor(f.Context(), auth.TokenSpec{Org: "hotline", Name: "fuzz", Role: auth.HotlineAnalyst})
	if err != nil {
		f.Fatal(err)
	}
	s := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxBodyBytes: 1 << 20},
		Deps{DB: db, Banks: banks, Auth: authSvc, Index: follower, Audit: &recorder{}})
	h := s.Handler()
	f.Fuzz(func(t *testing.T, method, target, ctype string, body []byte) {
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(method, " \t\r\n") || method == "" || method == "CONNECT" {
			return
		}
		req, err := http.NewRequest(method, "http://haven"+target, bytes.NewReader(body))
		if err != nil {
			return
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s (%s, %q): %d %s", method, target, ctype, body, w.Code, w.Body)
		}
	})
}
