package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/filehash"
	"github.com/havenproject/haven/internal/signal"
)

// demoOrgs are the demonstration organisations, short name and display
// name, and the role of each one's demo user, which is also the one role
// the organisation may hold.
var demoOrgs = []struct {
	name, display string
	role          auth.Role
}{
	{"demo-police", "Demo police unit", auth.Investigator},
	{"demo-vid", "Demo victim identification team", auth.VictimID},
	{"demo-hotline", "Demo hotline", auth.HotlineAnalyst},
	{"demo-platform", "Demo platform", auth.Partner},
	{"demo-care", "Demo care organisation", auth.CareWorker},
	{"demo-rapporteur", "Demo rapporteur", auth.Monitor},
	{"demo-operator", "Demo operator", auth.Admin},
}

// demoBanks hold the hashes of the sample images that ship in
// testdata/samples: a positive bank curated by the hotline and shared with
// the police, victim identification and the platform, and a negative bank
// (known-benign images) whose match suppresses positive ones.
var demoBanks = []struct {
	bank    bank.Bank
	samples []string
}{
	{bank.Bank{Name: "demo-hotline-known", Description: "Demo: hashes of benign sample images standing in for known material",
		SourceOrg: "demo-hotline", SharedWith: []string{"demo-police", "demo-vid", "demo-platform"}},
		[]string{"bridge.jpg", "rocket.jpg", "castle-maintenon.jpg"}},
	{bank.Bank{Name: "demo-stock-photos", Description: "Demo: known-benign images (a negative bank)", Kind: bank.Negative,
		SourceOrg: "demo-hotline", SharedWith: []string{"demo-police", "demo-vid", "demo-platform"}},
		[]string{"chelsea.png"}},
}

// demoSamples is where the sample images are, relative to the working
// directory (the repository's root) unless HAVEN_DEMO_SAMPLES says.
func demoSamples() string { return envOr("HAVEN_DEMO_SAMPLES", filepath.Join("testdata", "samples")) }

// seedDemo creates what is missing of the demonstration world and prints
// how to use it: new users' one-time passwords, a new partner token, the
// URL. What exists is left as it is (and its secrets are not shown again).
func seedDemo(ctx context.Context, n *node, w io.Writer, url string) error {
	fmt.Fprintf(w, "Demo mode: benign sample data only.\n\n")
	for _, o := range demoOrgs {
		// Each demo organisation may hold only its demo user's role: the
		// platform only partner (its user and token), the operator only
		// admin.
		if _, err := n.auth.CreateOrg(ctx, o.name, o.display, o.role); err != nil && !errors.Is(err, auth.ErrExists) {
			return fmt.Errorf("demo: %w", err)
		}
	}
	fmt.Fprintf(w, "Users (one per role; the password is for the first login, which asks for a new one):\n")
	for _, o := range demoOrgs {
		login := "demo-" + strings.ReplaceAll(string(o.role), "_", "-")
		password := newDemoSecret()
		_, err := n.auth.CreateUser(ctx, o.name, login, o.role, password)
		switch {
		case errors.Is(err, auth.ErrExists):
			fmt.Fprintf(w, "  %-24s %-16s (exists; password unchanged)\n", login, o.role)
		case err != nil:
			return fmt.Errorf("demo: %w", err)
		default:
			fmt.Fprintf(w, "  %-24s %-16s password %s\n", login, o.role, password)
		}
	}
	if err := demoToken(ctx, n, w); err != nil {
		return err
	}
	if err := demoBanksSeed(ctx, n, w); err != nil {
		return err
	}
	n.changed(ctx)
	fmt.Fprintf(w, "\nOpen %s and log in as one of the users above.\n", url)
	fmt.Fprintf(w, "Try the HMA-compatible API with the token:\n  curl -H 'Authorization: Bearer TOKEN' '%sm/lookup?signal_type=pdq&signal=HASH'\n\n", url)
	return nil
}

func newDemoSecret() string {
	var b [12]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// demoToken creates the platform's partner token unless it has one.
func demoToken(ctx context.Context, n *node, w io.Writer) error {
	tokens, err := n.auth.ListTokens(ctx, "demo-platform")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if slices.ContainsFunc(tokens, func(t auth.Token) bool { return t.Name == "demo-scanner" }) {
		fmt.Fprintf(w, "\nPartner API token demo-scanner of demo-platform: exists (shown only when created).\n")
		return nil
	}
	plain, _, err := n.auth.CreateToken(ctx, "demo-platform", "demo-scanner", 0)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(w, "\nPartner API token of demo-platform (shown once): %s\n", plain)
	return nil
}

// demoBanksSeed creates the demo banks and imports the samples' hashes
// (hashed now, in memory); a re-import adds nothing.
func demoBanksSeed(ctx context.Context, n *node, w io.Writer) error {
	dir := demoSamples()
	if _, err := os.Stat(dir); err != nil {
		fmt.Fprintf(w, "\nNo sample images at %s (run from the repository's root, or set HAVEN_DEMO_SAMPLES): demo banks stay empty.\n", dir)
	}
	fmt.Fprintf(w, "\nBanks:\n")
	for _, d := range demoBanks {
		if _, err := n.banks.Create(ctx, d.bank); err != nil && !errors.Is(err, bank.ErrExists) {
			return fmt.Errorf("demo: %w", err)
		}
		var src demoSource
		for _, name := range d.samples {
			res := filehash.File(ctx, filepath.Join(dir, name), filehash.Options{})
			if res.Err != nil {
				continue // reported above when the folder is missing
			}
			tags := []string{"demo", name}
			src = append(src,
				bank.Entry{Signal: signal.Signal{Kind: signal.PDQ, Value: res.PDQ.String()}, Quality: &res.Quality, Tags: tags},
				bank.Entry{Signal: signal.Signal{Kind: signal.MD5, Value: res.MD5}, Tags: tags})
			fmt.Fprintf(w, "  %-20s %-22s pdq %s\n", d.bank.Name, name, res.PDQ)
		}
		if _, err := n.banks.Import(ctx, d.bank.Name, &src, bank.ImportOptions{AddedBy: "haven serve --demo"}); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// demoSource is a bank.EntrySource over a slice.
type demoSource []bank.Entry

func (s *demoSource) Next() (bank.Entry, error) {
	if len(*s) == 0 {
		return bank.Entry{}, io.EOF
	}
	e := (*s)[0]
	*s = (*s)[1:]
	return e, nil
}
