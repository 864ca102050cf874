package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/triage"
	"github.com/havenproject/haven/internal/triage/report"
)

type triageOptions struct {
	out, caseName, seizure, org string
	hashes                      []string
	resume, noVideo             bool
	jobs, radius                int
	videoFPS                    float64
	progress                    string
}

func newTriageCmd(s streams, cfg *config) *cobra.Command {
	var opt triageOptions
	cmd := &cobra.Command{
		Use:   "triage [flags] -o DIR PATH ...",
		Short: "Turn a seized collection into a prioritised, explained review list",
		Long: `Triage walks files, folders and archives (nested, bomb-limited), hashes every file
(MD5, SHA-1, SHA-256, PDQ), reads its EXIF, matches it against the banks and any
--hashes lists, stacks duplicates, clusters near-duplicates, forms series
candidates of new material, and ranks the groups so that new material most
likely to show a child not yet identified comes first. Results go to the output
directory: report.html (offline; thumbnails blurred until clicked), results.json,
media.csv and vics.json (VICS 2.0). With --case and --seizure the seizure is
recorded in the store, and later triages say where else material was seen.

Videos are hashed with vPDQ (ffmpeg) and matched against the banks' vPDQ
entries and --hashes lists; the report shows three still frames of each
(blurred, no sound).

Banks: with --org NAME only the banks NAME may match against are used (banks
curated by NAME or shared with it). Without --org every bank of the store is
used: triage then runs as a single-user offline tool on the operator's own
store, and the operator answers for the banks' sharing terms.

An interrupted triage continues with --resume and the same output directory:
finished files are taken from its journal, not hashed again. See docs/triage.md.

Exit status: 0 when the triage finished (unreadable files are results),
1 on an error, 2 on a usage error.`,
		Example: `  haven triage --case 2026-0042 --seizure laptop-1 -o out/ /mnt/evidence/laptop.zip
  haven triage --hashes vics-export.json -o out/ seized/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("triage: name at least one file, folder or archive")
			}
			if opt.out == "" {
				return usagef("triage: -o DIR is required")
			}
			if (opt.caseName == "") != (opt.seizure == "") {
				return usagef("triage: --case and --seizure go together")
			}
			return runTriage(cmd.Context(), s, cfg, opt, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opt.out, "output", "o", "", "output directory for the reports and the journal")
	f.StringVar(&opt.caseName, "case", "", "case name, to record the seizure and link across cases")
	f.StringVar(&opt.seizure, "seizure", "", "seizure name within the case")
	f.StringArrayVar(&opt.hashes, "hashes", nil, "hash-list file to match against (any format 'haven bank import' reads; repeatable)")
	f.BoolVar(&opt.resume, "resume", false, "continue an interrupted triage in the same output directory")
	f.IntVarP(&opt.jobs, "jobs", "j", 0, "files described at once (default: one per CPU)")
	f.IntVar(&opt.radius, "near", 31, "PDQ distance within which files are near-duplicates")
	f.StringVar(&opt.org, "org", "", "organisation running the triage: match only banks it may use (default: every bank, offline single-user)")
	f.Float64Var(&opt.videoFPS, "video-fps", 1, "video frames hashed per second (vPDQ)")
	f.BoolVar(&opt.noVideo, "no-video", false, "do not run ffmpeg: videos get digests only")
	f.StringVar(&opt.progress, "progress", "auto", "progress: auto (a live line on a terminal, periodic lines otherwise), plain, none")
	return cmd
}

func runTriage(ctx context.Context, s streams, cfg *config, opt triageOptions, args []string) error {
	db, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	counters := new(triage.Counters)
	stop := startTriageProgress(opt.progress, s.err, counters)
	res, err := triage.Run(ctx, triage.Options{
		Inputs: args, OutDir: opt.out, Store: db, Hashes: opt.hashes, Case: opt.caseName, Seizure: opt.seizure,
		Resume: opt.resume, Workers: opt.jobs, NearRadius: opt.radius, Counters: counters, Org: opt.org,
		Video: triage.VideoOptions{Off: opt.noVideo, FPS: opt.videoFPS},
	})
	stop()
	if errors.Is(err, triage.ErrExists) {
		return usageError{err}
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("triage interrupted; finished files are in the journal: continue with --resume -o %s: %w", opt.out, err)
	}
	if err != nil {
		return err
	}
	defer res.Close()
	if err := report.Write(ctx, opt.out, res, time.Now()); err != nil {
		return err
	}
	return printTriageSummary(ctx, s.out, res, opt.out)
}

func printTriageSummary(ctx context.Context, w io.Writer, res *triage.Result, out string) error {
	fmt.Fprintf(w, "%d files (%d resumed from the journal), %d archives opened\n", res.NFiles, res.Resumed, res.Archives)
	for _, v := range []triage.Verdict{triage.New, triage.NearKnown, triage.Known, triage.BenignKnown, triage.NotMedia, triage.Unreadable} {
		fmt.Fprintf(w, "  %-13s %d\n", v, res.Counts[v])
	}
	fmt.Fprintf(w, "%d groups; seizure score %.0f\n", res.NGroups, res.Score)
	err := res.EachGroup(ctx, 1, 5, func(g *triage.Group) error {
		_, err := fmt.Fprintf(w, "  #%d %s, score %.0f: %s\n", g.ID, g.Kind, g.Score, strings.Join(g.Reasons, "; "))
		return err
	})
	fmt.Fprintf(w, "report: %s/%s\n", out, report.HTMLName)
	return err
}

// startTriageProgress reports files, bytes, rate and ETA: a redrawn line on
// a terminal, a plain line every 10 seconds otherwise. It returns stop.
func startTriageProgress(mode string, w io.Writer, c *triage.Counters) func() {
	if mode == "none" {
		return func() {}
	}
	live := mode == "auto" && isTerminal(w)
	every := 10 * time.Second
	if live {
		every = 250 * time.Millisecond
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				if live {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case <-t.C:
				line := triageProgressLine(c, time.Since(start))
				if live {
					fmt.Fprint(w, "\r\033[K"+line)
				} else {
					fmt.Fprintln(w, line)
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

func triageProgressLine(c *triage.Counters, elapsed time.Duration) string {
	done, found := c.Done.Load(), c.Found.Load()
	bytes, foundBytes := c.DoneBytes.Load(), c.FoundBytes.Load()
	rate := float64(bytes) / max(elapsed.Seconds(), 0.001)
	eta := "?"
	if c.WalkDone.Load() && rate > 0 {
		eta = (time.Duration(float64(foundBytes-bytes)/rate) * time.Second).Round(time.Second).String()
	}
	return fmt.Sprintf("triage: %d/%d files, %.1f/%.1f MB, %.1f MB/s, %.0f files/s, ETA %s (+%d resumed)",
		done, found, float64(bytes)/1e6, float64(foundBytes)/1e6, rate/1e6, float64(done)/max(elapsed.Seconds(), 0.001), eta, c.Resumed.Load())
}
