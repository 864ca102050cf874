package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/filehash"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
)

type matchOptions struct {
	dihedral bool
	banks    []string
	format   string
	kind     string
	jobs     int
}

func newMatchCmd(s streams, cfg *config) *cobra.Command {
	var opt matchOptions
	cmd := &cobra.Command{
		Use:   "match [flags] HASH|FILE|DIR ...",
		Short: "Look hashes, files or folders up in the banks",
		Long: `Look up hashes (kind:value, or bare hex when the length says the kind), files and
folders in the banks. Files are hashed first (MD5, SHA-1, SHA-256 and, for images,
PDQ). For each input every matching entry is listed with its bank, category and
scheme, and PDQ distance; a match in a negative bank (known-benign material)
marks the positive matches of the same input as suppressed.

Exit status: 0 when every input was looked up (matched or not), 1 when some
could not be read, 2 on a usage error.`,
		Example: `  haven match pdq:d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22
  haven match --dihedral --bank hotline-csam seized/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("match: name at least one hash, file or folder")
			}
			return runMatch(cmd.Context(), s, cfg, opt, args)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opt.dihedral, "dihedral", false, "also try the query images' rotations and flips (PDQ)")
	f.StringSliceVar(&opt.banks, "bank", nil, "look only in these banks (default: all)")
	f.StringVar(&opt.format, "format", "text", "output format: text or json")
	f.StringVar(&opt.kind, "kind", "", "kind of bare 64-hex-digit hashes (sha256 or pdq)")
	f.IntVarP(&opt.jobs, "jobs", "j", 0, "files hashed at once (default: one per CPU)")
	return cmd
}

// matchResult is the answer for one input, as --format json prints it.
type matchResult struct {
	Input   string      `json:"input"`
	Signals []sigResult `json:"signals,omitempty"`
	Error   string      `json:"error,omitempty"`
}

type sigResult struct {
	Kind    signal.Kind `json:"kind"`
	Value   string      `json:"value"`
	Quality *int        `json:"quality,omitempty"`
	Matches []hitView   `json:"matches"`
}

// hitView is one matching entry, with the entry's opinion.
type hitView struct {
	Bank               string        `json:"bank"`
	EntryID            int64         `json:"entry_id"`
	Negative           bool          `json:"negative_bank,omitempty"`
	Suppressed         bool          `json:"suppressed,omitempty"`
	Distance           int           `json:"distance"`
	Transform          string        `json:"transform,omitempty"`
	Category           bank.Category `json:"category"`
	Series             string        `json:"series,omitempty"`
	VictimIdentified   *bool         `json:"victim_identified,omitempty"`
	OffenderIdentified *bool         `json:"offender_identified,omitempty"`
	SelfGenerated      *bool         `json:"self_generated,omitempty"`
	Withdrawn          bool          `json:"withdrawn,omitempty"`
}

// matcher answers lookups from an in-memory PDQ index and the store's
// exact lookups.
type matcher struct {
	svc      *bank.Service
	idx      *match.Index
	allowed  func(*match.Bank) bool
	dihedral bool
}

func runMatch(ctx context.Context, s streams, cfg *config, opt matchOptions, args []string) error {
	if opt.format != "text" && opt.format != "json" {
		return usagef("match: unknown --format %q (want text or json)", opt.format)
	}
	kind, err := parseKind(opt.kind)
	if err != nil {
		return err
	}
	// Split the arguments: hashes are looked up as they are, paths hashed.
	var hashes []string
	var paths []string
	for _, a := range args {
		if _, err := os.Stat(a); err == nil || a == filehash.Stdin {
			paths = append(paths, a)
		} else {
			hashes = append(hashes, a)
		}
	}
	db, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	m := &matcher{svc: bank.NewService(db), dihedral: opt.dihedral}
	if m.idx, _, err = match.LoadPDQ(ctx, m.svc); err != nil {
		return err
	}
	if len(opt.banks) > 0 {
		known := map[string]bool{}
		for _, b := range m.idx.Banks() {
			known[b.Name] = true
		}
		for _, name := range opt.banks {
			if !known[name] {
				return fmt.Errorf("match: %w: no bank %q", bank.ErrNotFound, name)
			}
		}
		m.allowed = func(b *match.Bank) bool { return slices.Contains(opt.banks, b.Name) }
	}

	out := bufio.NewWriter(s.out)
	defer out.Flush()
	write := func(r matchResult) error {
		if opt.format == "json" {
			return json.NewEncoder(out).Encode(r)
		}
		return writeMatchText(out, r)
	}
	failed := 0
	for _, h := range hashes {
		sig, err := parseSignal(h, kind)
		if err != nil {
			return usagef("match: %q is neither a file nor a hash: %v", h, err)
		}
		r := matchResult{Input: h}
		sr, err := m.lookup(ctx, sig, nil, nil)
		if err != nil {
			return err
		}
		r.Signals = append(r.Signals, sr)
		if err := write(r); err != nil {
			return err
		}
	}
	if len(paths) > 0 {
		runner := &filehash.Runner{Options: filehash.Options{Dihedral: opt.dihedral}, Workers: opt.jobs, Stdin: s.in}
		err := runner.Run(ctx, paths, func(res filehash.Result) error {
			if res.Skipped {
				return nil
			}
			r, err := m.lookupFile(ctx, res)
			if err != nil {
				return err
			}
			if r.Error != "" {
				failed++
				fmt.Fprintf(s.err, "haven: %s: %s\n", r.Input, r.Error)
			}
			return write(r)
		})
		if err != nil {
			return err
		}
	}
	if failed > 0 {
		return errPartial
	}
	return nil
}

// lookupFile looks up every hash of a hashed file. A file that is not an
// image still has its digests looked up.
func (m *matcher) lookupFile(ctx context.Context, res filehash.Result) (matchResult, error) {
	r := matchResult{Input: res.Path}
	if res.SHA256 == "" {
		r.Error = res.Err.Error()
		return r, nil
	}
	for _, sig := range []signal.Signal{{Kind: signal.MD5, Value: res.MD5}, {Kind: signal.SHA1, Value: res.SHA1}, {Kind: signal.SHA256, Value: res.SHA256}} {
		sr, err := m.lookup(ctx, sig, nil, nil)
		if err != nil {
			return r, err
		}
		r.Signals = append(r.Signals, sr)
	}
	// Videos have frame hashes, not one PDQ hash; vPDQ matching comes with
	// video banks.
	if res.Err == nil && res.Format != "" && res.Video == nil {
		q := res.Quality
		sr, err := m.lookup(ctx, signal.Signal{Kind: signal.PDQ, Value: res.PDQ.String()}, res.Dihedral, &q)
		if err != nil {
			return r, err
		}
		r.Signals = append(r.Signals, sr)
	}
	return r, nil
}

// lookup finds the entries matching one signal and fills in their opinions.
func (m *matcher) lookup(ctx context.Context, sig signal.Signal, dih *pdq.Dihedral, quality *int) (sigResult, error) {
	sr := sigResult{Kind: sig.Kind, Value: sig.Value, Quality: quality, Matches: []hitView{}}
	if sig.Kind.Exact() {
		found, err := m.svc.LookupExact(ctx, sig)
		if err != nil {
			return sr, err
		}
		var hits []match.Hit
		for _, f := range found {
			b := match.BankFrom(f.Bank)
			if m.allowed != nil && !m.allowed(&b) {
				continue
			}
			hits = append(hits, match.Hit{BankID: b.ID, BankName: b.Name, Negative: b.Kind == bank.Negative, EntryID: f.Entry.ID})
		}
		return m.describe(ctx, sr, match.Suppress(hits))
	}
	q := match.Query{Signal: sig, Allowed: m.allowed}
	if m.dihedral && dih != nil {
		q.Dihedral = dih
	}
	return m.describe(ctx, sr, m.idx.Lookup(q))
}

// describe adds each hit's entry details from the store.
func (m *matcher) describe(ctx context.Context, sr sigResult, hits []match.Hit) (sigResult, error) {
	if len(hits) == 0 {
		return sr, nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.EntryID
	}
	entries, err := m.svc.EntriesByID(ctx, ids)
	if err != nil {
		return sr, err
	}
	for _, h := range hits {
		e := entries[h.EntryID]
		v := hitView{Bank: h.BankName, EntryID: h.EntryID, Negative: h.Negative, Suppressed: h.Suppressed,
			Distance: h.Distance, Category: e.Category, Series: e.Series,
			VictimIdentified: e.VictimIdentified, OffenderIdentified: e.OffenderIdentified, SelfGenerated: e.SelfGenerated,
			Withdrawn: !e.Active()}
		if sr.Kind == signal.PDQ && h.Transform != pdq.Original {
			v.Transform = h.Transform.String()
		}
		sr.Matches = append(sr.Matches, v)
	}
	return sr, nil
}

// writeMatchText prints one line per match, or one "no match" line per
// input: input, kind, then the match's facts as key=value pairs.
func writeMatchText(w io.Writer, r matchResult) error {
	if r.Error != "" {
		return nil // reported on standard error
	}
	any := false
	for _, s := range r.Signals {
		for _, h := range s.Matches {
			any = true
			var facts []string
			facts = append(facts, "bank="+h.Bank, fmt.Sprintf("entry=%d", h.EntryID), "category="+h.Category.String())
			if s.Kind == signal.PDQ {
				facts = append(facts, fmt.Sprintf("distance=%d", h.Distance))
				if s.Quality != nil && *s.Quality < pdq.QualityThreshold {
					// Flat images' hashes flip under tiny changes: say so.
					facts = append(facts, fmt.Sprintf("low-quality-query=%d", *s.Quality))
				}
				if h.Transform != "" {
					facts = append(facts, "transform="+h.Transform)
				}
			}
			if h.Series != "" {
				facts = append(facts, "series="+h.Series)
			}
			if h.VictimIdentified != nil {
				facts = append(facts, fmt.Sprintf("victim_identified=%t", *h.VictimIdentified))
			}
			switch {
			case h.Negative:
				facts = append(facts, "negative-bank")
			case h.Suppressed:
				facts = append(facts, "suppressed-by-negative-bank")
			}
			sort.Strings(facts[3:])
			if _, err := fmt.Fprintf(w, "%s\t%s\tmatch\t%s\n", r.Input, s.Kind, strings.Join(facts, " ")); err != nil {
				return err
			}
		}
	}
	if !any {
		_, err := fmt.Fprintf(w, "%s\t-\tno match\n", r.Input)
		return err
	}
	return nil
}
