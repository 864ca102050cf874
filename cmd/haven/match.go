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
	// Video matching.
	videoFPS              float64
	minQuery, minCompared float64
}

func newMatchCmd(s streams, cfg *config) *cobra.Command {
	var opt matchOptions
	cmd := &cobra.Command{
		Use:   "match [flags] HASH|FILE|DIR ...",
		Short: "Look hashes, files or folders up in the banks",
		Long: `Look up hashes (kind:value, or bare hex when the length says the kind), files and
folders in the banks. Files are hashed first (MD5, SHA-1, SHA-256 and, for images,
PDQ; for videos, vPDQ: PDQ of frames sampled --video-fps times a second). For each
input every matching entry is listed with its bank, category and scheme, and PDQ
distance; a match in a negative bank (known-benign material) marks the positive
matches of the same input as suppressed.

A video matches a bank's video when frames of the two are within the bank's vPDQ
distance (31 unless the bank sets another); each match says which share of the
query's frames matched (query_percent), which share of the bank video's frames
(compared_percent), and the matching segments of each, in seconds. A file of vPDQ
hashes (vpdq-hash-video's lines, HMA's JSON form, or 'haven hash' output with
#t= lines) is looked up as the video it describes.

Exit status: 0 when every input was looked up (matched or not), 1 when some
could not be read, 2 on a usage error.`,
		Example: `  haven match pdq:d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22
  haven match --dihedral --bank hotline-csam seized/
  haven match --min-compared-percent 80 upload.mp4
  haven hash clip.mp4 > clip.txt; haven match clip.txt`,
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
	f.Float64Var(&opt.videoFPS, "video-fps", 1, "video frames hashed per second (vPDQ); 0 hashes every frame")
	f.Float64Var(&opt.minQuery, "min-query-percent", 0, "report a video only if this share of the query's frames matched it")
	f.Float64Var(&opt.minCompared, "min-compared-percent", 0, "report a video only if this share of the bank video's frames matched")
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
	Value   string      `json:"value,omitempty"`
	Quality *int        `json:"quality,omitempty"`
	// Frames is a video's number of frame hashes (vPDQ; its value is
	// not printed).
	Frames  int       `json:"frames,omitempty"`
	Matches []hitView `json:"matches"`
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
	Video              *videoView    `json:"video,omitempty"`
}

// matcher answers lookups from an in-memory PDQ index and the store's
// exact lookups.
type matcher struct {
	svc      *bank.Service
	idx      *match.Index
	allowed  func(*match.Bank) bool
	dihedral bool
	// minQuery and minCompared are the video percentages to report.
	minQuery, minCompared float64
}

func runMatch(ctx context.Context, s streams, cfg *config, opt matchOptions, args []string) error {
	if opt.format != "text" && opt.format != "json" {
		return usagef("match: unknown --format %q (want text or json)", opt.format)
	}
	if opt.videoFPS < 0 || !(opt.minQuery >= 0 && opt.minQuery <= 100) || !(opt.minCompared >= 0 && opt.minCompared <= 100) {
		return usagef("match: --video-fps must not be negative, percentages must be 0 to 100")
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
	m := &matcher{svc: bank.NewService(db), dihedral: opt.dihedral, minQuery: opt.minQuery, minCompared: opt.minCompared}
	if m.idx, _, err = match.Load(ctx, m.svc); err != nil {
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
	// Files of vPDQ hashes are looked up as the videos they describe.
	files := paths[:0:0]
	for _, p := range paths {
		qs, ok := readHashFile(p)
		if !ok {
			files = append(files, p)
			continue
		}
		for _, q := range qs {
			sr, err := m.lookupVideo(ctx, q.frames)
			if err != nil {
				return err
			}
			if err := write(matchResult{Input: q.name, Signals: []sigResult{sr}}); err != nil {
				return err
			}
		}
	}
	if len(files) > 0 {
		runner := &filehash.Runner{Options: filehash.Options{Dihedral: opt.dihedral,
			Video: filehash.VideoOptions{FPS: opt.videoFPS, EveryFrame: opt.videoFPS == 0}}, Workers: opt.jobs, Stdin: s.in}
		err := runner.Run(ctx, files, func(res filehash.Result) error {
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
// image still has its digests looked up; so does a video that could not be
// decoded, whose error is reported beside its digests' matches.
func (m *matcher) lookupFile(ctx context.Context, res filehash.Result) (matchResult, error) {
	r := matchResult{Input: res.Path}
	if res.Err != nil && (res.SHA256 == "" || res.Format == "video" || res.Size == 0) {
		r.Error = fileError(hashedFile{err: res.Err, size: res.Size, sha256: res.SHA256, video: res.Format == "video"})
	}
	if res.SHA256 == "" {
		return r, nil
	}
	for _, sig := range []signal.Signal{{Kind: signal.MD5, Value: res.MD5}, {Kind: signal.SHA1, Value: res.SHA1}, {Kind: signal.SHA256, Value: res.SHA256}} {
		sr, err := m.lookup(ctx, sig, nil, nil)
		if err != nil {
			return r, err
		}
		r.Signals = append(r.Signals, sr)
	}
	// A video has frame hashes, not one PDQ hash.
	if res.Err == nil && res.Video != nil {
		sr, err := m.lookupVideo(ctx, res.Video.Frames)
		if err != nil {
			return r, err
		}
		r.Signals = append(r.Signals, sr)
	}
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
		if h.Video != nil {
			v.Video = newVideoView(h.Video)
		}
		sr.Matches = append(sr.Matches, v)
	}
	return sr, nil
}

// writeMatchText prints one line per match, or one "no match" line per
// input: input, kind, then the match's facts as key=value pairs.
func writeMatchText(w io.Writer, r matchResult) error {
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
			if h.Video != nil {
				facts = append(facts, videoFacts(h.Video)...)
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
	if !any && r.Error == "" { // an error is reported on standard error
		_, err := fmt.Fprintf(w, "%s\t-\tno match\n", r.Input)
		return err
	}
	return nil
}
