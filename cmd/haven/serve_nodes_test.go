package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// TestTwoNodesFollowEachOther runs two servers on one PostgreSQL
// database, each with its own in-memory index, adds a hash through one and
// finds it through the other: the first notifies, the second's follower
// wakes and syncs. The poll interval is an hour, so only the notification
// can bring the change in time.
func TestTwoNodesFollowEachOther(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := t.Context()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var nodes [2]*node
	var urls [2]string
	for i := range nodes {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		n, err := startNode(ctx, db, nodeOptions{log: log, dsn: dsn, poll: time.Hour, authOptions: auth.Options{Hash: cheapHash}})
		if err != nil {
			t.Fatal(err)
		}
		defer n.close()
		hs := httptest.NewServer(n.server.Handler())
		defer hs.Close()
		nodes[i], urls[i] = n, hs.URL
	}
	a := nodes[0]
	if _, err := a.auth.CreateOrg(ctx, "hotline", "Hotline", auth.HotlineAnalyst); err != nil {
		t.Fatal(err)
	}
	if _, err := a.banks.Create(ctx, bank.Bank{Name: "shared", SourceOrg: "hotline"}); err != nil {
		t.Fatal(err)
	}
	token, _, err := a.auth.CreateTokenFor(ctx, auth.TokenSpec{Org: "hotline", Name: "analyst", Role: auth.HotlineAnalyst})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, url, body string) (int, string) {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	hash := strings.Repeat("5a", 32)
	if code, body := do("POST", urls[0]+"/c/bank/shared/signal", `{"pdq":"`+hash+`"}`); code != 200 {
		t.Fatalf("add through node 0: %d %s", code, body)
	}
	// Node 0 reads its own write at once.
	lookup := func(i int) map[string][]hmaMatchView {
		code, body := do("GET", urls[i]+"/m/lookup?signal_type=pdq&signal="+hash, "")
		if code != 200 {
			t.Fatalf("lookup on node %d: %d %s", i, code, body)
		}
		var m map[string][]hmaMatchView
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if len(lookup(0)["shared"]) != 1 {
		t.Fatal("node 0 does not find what it added")
	}
	// Node 1 finds it once its follower has synced: poll the lookup, with
	// a generous bound for a loaded machine.
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for len(lookup(1)["shared"]) != 1 {
		select {
		case <-ctx.Done():
			t.Fatalf("node 1 did not find the hash added through node 0: %+v", nodes[1].follower.Status())
		case <-time.After(20 * time.Millisecond):
		}
	}
	// And a withdrawal through node 1 reaches node 0.
	if code, body := do("DELETE", urls[1]+"/c/bank/shared", ""); code != 200 {
		t.Fatalf("delete through node 1: %d %s", code, body)
	}
	for len(lookup(0)["shared"]) != 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("node 0 still finds the withdrawn hash: %+v", nodes[0].follower.Status())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// hmaMatchView is HMA's match JSON.
type hmaMatchView struct {
	BankContentID int64  `json:"bank_content_id"`
	Distance      string `json:"distance"`
}
