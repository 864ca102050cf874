// Command triage measures haven triage: files/s and MB/s on generated
// collections with the time split by stage, peak memory (VmHWM) at two
// collection sizes, and how well the priority order finds planted new
// series (reviewer positions against file-system order). Results go into
// the "triage" section of docs/benchmarks.md.
//
//	go run ./bench/triage                      # 20k and 200k files, priority
//	go run ./bench/triage -sizes 2000 -priority=false -out ''   # quick look
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/bench/internal/record"
	"github.com/havenproject/haven/internal/triage"
)

func main() { record.Main("triage", run) }

type sizeRun struct {
	n   int
	mix string
	gen genStats
	res result
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("triage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	child := fs.String("child", "", "internal: run one measured triage")
	sizes := fs.String("sizes", "20000,200000", "collection sizes in files (the largest uses small images, mostly duplicates)")
	prio := fs.Bool("priority", true, "measure the priority order on a planted collection")
	tmp := fs.String("tmp", os.TempDir(), "directory for the generated collections (removed afterwards)")
	out := fs.String("out", "docs/benchmarks.md", "markdown file whose triage section is replaced; empty: print only")
	workers := fs.Int("j", 0, "triage workers (0: one per CPU)")
	prioJSON := fs.String("priority-result", "", "reuse a priority result (the JSON an earlier run logged) instead of measuring it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *child != "" {
		return runChild(ctx, *child, stdout)
	}
	var pr *priorityResult
	if *prioJSON != "" {
		pr = new(priorityResult)
		if err := json.Unmarshal([]byte(*prioJSON), pr); err != nil {
			return fmt.Errorf("-priority-result: %w", err)
		}
	} else if *prio {
		dir, err := os.MkdirTemp(*tmp, "triage-prio-")
		if err != nil {
			return err
		}
		fmt.Fprintln(stderr, "priority collection...")
		p, err := runPriority(ctx, dir, defaultPlant, 1)
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		pr = &p
		b, _ := json.Marshal(p)
		fmt.Fprintf(stderr, "priority result: %s\n", b)
	}
	var runs []sizeRun
	ns := strings.Split(*sizes, ",")
	for i, s := range ns {
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return err
		}
		sr, err := measureSize(ctx, *tmp, n, i == len(ns)-1 && len(ns) > 1, *workers, stderr)
		if err != nil {
			return err
		}
		runs = append(runs, sr)
	}
	md := markdown(runs, pr, record.Command("triage", args))
	fmt.Fprint(stdout, md)
	if *out == "" {
		return nil
	}
	return record.Replace(*out, "triage", md, docsHeading)
}

// docsHeading starts a new -out file, as bench/section.sh does.
const docsHeading = "# Benchmarks\n\nMeasured figures; each section says the machine and the command.\n"

// measureSize generates a collection of n files, triages it in a child
// process and removes both.
func measureSize(ctx context.Context, tmp string, n int, small bool, workers int, log io.Writer) (sizeRun, error) {
	sr := sizeRun{n: n, mix: "realistic"}
	m := realistic
	if small {
		sr.mix, m = "small", smallMix
	}
	dir, err := os.MkdirTemp(tmp, "triage-bench-")
	if err != nil {
		return sr, err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(log, "generating %d files (%s)...\n", n, sr.mix)
	t := time.Now()
	if sr.gen, err = generate(filepath.Join(dir, "in"), n, m, uint64(n)); err != nil {
		return sr, err
	}
	fmt.Fprintf(log, "generated in %s: %+v\ntriaging...\n", time.Since(t).Round(time.Second), sr.gen)
	sr.res, err = measure(ctx, job{Input: filepath.Join(dir, "in"), Out: filepath.Join(dir, "out"), Workers: workers})
	fmt.Fprintf(log, "%+v\n", sr.res)
	return sr, err
}

func markdown(runs []sizeRun, pr *priorityResult, cmd string) string {
	var b strings.Builder
	w := func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }
	w("## Triage\n\n")
	b.WriteString(record.Stamp(cmd) + "\n")
	w("Each size is generated, triaged in a child process (`triage.Run` and `report.Write`, no store, default workers) and removed. VmHWM is the child's peak resident set.\n")
	w("The machine's 2 cores are shared with other work: the load average before and after each run is given.\n\n")
	w("| files | mix | distinct images | MB | wall s | files/s | MB/s | CPU s | peak RSS MiB | load before → after |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range runs {
		x := r.res
		w("| %d | %s | %d | %.0f | %.1f | %.0f | %.1f | %.1f | %.0f | %s → %s |\n", x.Files, r.mix, x.Media-r.gen.Dups, float64(x.Bytes)/1e6, x.Wall,
			float64(x.Files)/x.Wall, float64(x.Bytes)/1e6/x.Wall, x.User+x.Sys, float64(x.VmHWM)/(1<<20), x.LoadBefore, x.After)
	}
	for _, r := range runs {
		x := r.res
		w("\n%d files: %.1f ms of CPU per file (user+sys over wall %.0f s: the load took the rest), peak RSS %.0f MiB.", x.Files,
			1000*(x.User+x.Sys)/float64(x.Files), x.Wall, float64(x.VmHWM)/(1<<20))
	}
	w("\nPeak memory follows the largest images decoded at once (two workers decoding 8–12 MP JPEGs in the realistic mix), not\n")
	w("the number of files. Wall times were measured with a load average near 10 on 2 cores (other work): CPU time is the\n")
	w("better guide to speed on a quiet machine.\n")
	w("\nMixes (shares of files): *realistic*: 65%% web JPEGs of 120–800 px, 10%% PNGs of 120–520 px, 5%% photos of 1–3 MP,\n")
	w("0.3%% JPEGs of 8–12 MP, 12%% exact duplicates (copies), 7%% near-duplicates (half size, recompressed); 5%% of the files are\n")
	w("inside zips, some of those zips inside tar.gz. *small* (the 200k run, to be feasible on this loaded machine): 64–256 px\n")
	w("JPEGs and PNGs, 80%% exact duplicates (hard links, which triage reads and digests but, once the first copy is journaled,\n")
	w("does not decode again), 5%% near-duplicates. Images are generated (gradients, rectangles, a fixed noise pattern).\n\n")
	w("Time per stage, seconds. Per-file stages (read … journal) are summed over the workers (worker time); the others are wall time.\n\n")
	w("| stage |")
	for _, r := range runs {
		w(" %d files |", r.res.Files)
	}
	w("\n|---|")
	for range runs {
		w("---|")
	}
	w("\n")
	for _, s := range triage.AllStages() {
		w("| %s |", s)
		for _, r := range runs {
			w(" %.1f |", r.res.Stages[s.String()])
		}
		w("\n")
	}
	if pr != nil {
		w("\n### Priority\n\n")
		w("A planted collection: %d unrelated web images, %d unrelated camera photos (random makes, serials, dates over 15 years),\n", defaultPlant.Noise, defaultPlant.NoisePhotos)
		w("%d known (MD5 in a bank, half with identified victims), %d near-known (half-size recompressed copies of bank PDQs), and\n", defaultPlant.Known, defaultPlant.NearKnown)
		w("new series of %s photos (one camera body each, or one phone model without serial, shots minutes apart, captured in\n", joinInts(defaultPlant.Series))
		w("the last months), all in %d random folders under random names. %d media; %d planted new-series items; triage wall %.0f s.\n\n", 40, pr.Media, pr.SeriesItems, pr.Wall)
		w("| order | position of the first series item | items looked at before every series item is seen | each series complete at |\n|---|---|---|---|\n")
		w("| Haven review_order | %d | %d | %s |\n", pr.HavenFirst, pr.HavenAll, joinInts(pr.HavenPerSeries))
		w("| file-system (path) order | %d | %d | %s |\n", pr.FSFirst, pr.FSAll, joinInts(pr.FSPerSeries))
		w("\nThe top group is a %s.\n", pr.TopKind)
	}
	return b.String()
}
