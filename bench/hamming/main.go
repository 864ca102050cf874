// Command hamming measures the hamming package's exact range index against
// brute force and appends the results as a markdown section to a file.
//
//	go run ./bench/hamming -n 1000000,10000000 -out docs/benchmarks-hamming.md
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/havenproject/haven/bench/internal/record"
)

func main() { record.Main("hamming", run) }

type options struct {
	sizes   []int
	dists   []string
	radii   []int
	queries int     // queries per radius for timing
	recall  int     // queries per radius checked against brute force
	minTime float64 // seconds per timing loop at least
	seed    uint64
	out     string // markdown file appended to; "" for none
	snapDir string
	budget  float64 // hamming.Options.MaxBytesPerHash; 0 for the default
	args    []string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("hamming", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("n", "1000000", "comma-separated index sizes")
	dists := fs.String("dist", "uniform,clustered", "comma-separated distributions: uniform, clustered")
	radii := fs.String("r", "0,16,31", "comma-separated query radii")
	o := &options{args: args}
	fs.IntVar(&o.queries, "q", 4000, "queries per radius for timing (half near-copies, half random)")
	fs.IntVar(&o.recall, "recall", 200, "queries per radius checked against brute force")
	fs.Float64Var(&o.minTime, "t", 1.5, "least seconds per timing loop")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed")
	fs.StringVar(&o.out, "out", "", "markdown file to append results to")
	fs.StringVar(&o.snapDir, "snapdir", os.TempDir(), "directory for the snapshot file")
	fs.Float64Var(&o.budget, "budget", 0, "memory budget in bytes per hash (hamming.Options.MaxBytesPerHash; 0: the default)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var err error
	if o.sizes, err = ints(*sizes); err != nil {
		return nil, fmt.Errorf("-n: %w", err)
	}
	if o.radii, err = ints(*radii); err != nil {
		return nil, fmt.Errorf("-r: %w", err)
	}
	for _, d := range strings.Split(*dists, ",") {
		if d != "uniform" && d != "clustered" {
			return nil, fmt.Errorf("-dist: unknown distribution %q", d)
		}
		o.dists = append(o.dists, d)
	}
	return o, nil
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	rep := newReport(o)
	for _, n := range o.sizes {
		for _, d := range o.dists {
			if err := ctx.Err(); err != nil {
				return err
			}
			res, err := measure(ctx, o, n, d, stderr)
			if err != nil {
				return fmt.Errorf("n=%d %s: %w", n, d, err)
			}
			rep.add(res)
		}
	}
	text := rep.markdown()
	fmt.Fprint(stdout, text)
	if o.out == "" {
		return nil
	}
	return record.Append(o.out, text)
}
