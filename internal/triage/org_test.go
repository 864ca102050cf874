package triage

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/pdq"
)

// TestOrgSharingTerms: with --org, only banks the organisation curates or
// that are shared with it match, by digest and by PDQ; without it, every
// bank does.
func TestOrgSharingTerms(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	shared := encodeJPEG(t, testImage(50, 320, 240), 90)
	private := encodeJPEG(t, testImage(51, 320, 240), 90)
	nearSrc := testImage(52, 640, 480)
	writeFile(t, filepath.Join(dir, "in", "shared.jpg"), shared)
	writeFile(t, filepath.Join(dir, "in", "private.jpg"), private)
	writeFile(t, filepath.Join(dir, "in", "near.jpg"), encodeJPEG(t, halve(nearSrc), 70))
	nearHash, _ := pdq.HashImage(nearSrc)

	svc := bank.NewService(db)
	for _, b := range []bank.Bank{
		{Name: "hotline", Kind: bank.Positive, SourceOrg: "ngo-a", SharedWith: []string{"police-x"}},
		{Name: "private", Kind: bank.Positive, SourceOrg: "ngo-b"},
	} {
		if _, err := svc.Create(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	md5 := func(b []byte) signal.Signal { s, _ := signal.New(signal.MD5, md5hex(b)); return s }
	for name, es := range map[string]entries{
		"hotline": {{Signal: md5(shared)}},
		"private": {{Signal: md5(private)}, {Signal: signal.Signal{Kind: signal.PDQ, Value: nearHash.String()}}},
	} {
		if _, err := svc.Import(ctx, name, &es, bank.ImportOptions{AddedBy: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		org  string
		want map[string]Verdict
	}{
		{"", map[string]Verdict{"shared.jpg": Known, "private.jpg": Known, "near.jpg": NearKnown}},
		{"police-x", map[string]Verdict{"shared.jpg": Known, "private.jpg": New, "near.jpg": New}},
		{"ngo-a", map[string]Verdict{"shared.jpg": Known, "private.jpg": New, "near.jpg": New}},
		{"ngo-b", map[string]Verdict{"shared.jpg": New, "private.jpg": Known, "near.jpg": NearKnown}},
		{"nobody", map[string]Verdict{"shared.jpg": New, "private.jpg": New, "near.jpg": New}},
	}
	for _, tt := range tests {
		t.Run("org="+tt.org, func(t *testing.T) {
			res, err := RunCollected(t, ctx, Options{Inputs: []string{filepath.Join(dir, "in")}, OutDir: t.TempDir(), Store: db, Org: tt.org})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Files {
				if v := tt.want[filepath.Base(f.Path)]; f.Verdict != v {
					t.Errorf("%s: %s %+v, want %s", filepath.Base(f.Path), f.Verdict, f.Matches, v)
				}
			}
		})
	}
}
