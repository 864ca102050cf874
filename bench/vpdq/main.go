// Command vpdq measures vPDQ hashing speed on generated test-source videos
// and matching time against large synthetic collections (index against
// exhaustive comparison, checked equal), and records the results as
// markdown sections of docs/benchmarks-vpdq.md.
//
//	go run ./bench/vpdq -out docs/benchmarks-vpdq.md
//	go run ./bench/vpdq -hash 480p -match 10000 -q 4   # quick look
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/havenproject/haven/bench/internal/record"
)

func main() { record.Main("vpdq", run) }

type options struct {
	resolutions []string // "480p", "720p", "1080p"
	seconds     int      // length of each generated video
	reps        int      // hashing repetitions; the fastest counts
	sizes       []int    // collection sizes for matching
	queries     int
	seed        uint64
	out         string
	tmp         string
	args        []string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("vpdq", flag.ContinueOnError)
	fs.SetOutput(stderr)
	res := fs.String("hash", "480p,720p,1080p", "resolutions to hash (480p, 720p, 1080p); empty for none")
	sizes := fs.String("match", "10000,100000", "collection sizes for matching; empty for none")
	o := &options{args: args}
	fs.IntVar(&o.seconds, "seconds", 20, "length of each generated video in seconds")
	fs.IntVar(&o.reps, "reps", 3, "hashing repetitions per video (the fastest is reported)")
	fs.IntVar(&o.queries, "q", 10, "queries per collection (half near-copies of indexed videos)")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed")
	fs.StringVar(&o.out, "out", "", "markdown file whose vpdq sections are replaced (created if absent)")
	fs.StringVar(&o.tmp, "tmp", os.TempDir(), "directory for the generated videos")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for _, r := range splitList(*res) {
		if _, ok := resolutions[r]; !ok {
			return nil, fmt.Errorf("-hash: unknown resolution %q", r)
		}
		o.resolutions = append(o.resolutions, r)
	}
	for _, s := range splitList(*sizes) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-match: bad size %q", s)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.seconds < 1 || o.reps < 1 || o.queries < 1 {
		return nil, errors.New("-seconds, -reps and -q must be positive")
	}
	return o, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	cmd := record.Command("vpdq", args)
	if len(o.resolutions) > 0 {
		rows, err := measureHashing(ctx, o, stderr)
		if err != nil {
			return fmt.Errorf("hashing: %w", err)
		}
		if err := emit(o, stdout, "vpdq-hash", hashingMarkdown(o, cmd, rows)); err != nil {
			return err
		}
	}
	if len(o.sizes) > 0 {
		rows, err := measureMatching(ctx, o, stderr)
		if err != nil {
			return fmt.Errorf("matching: %w", err)
		}
		if err := emit(o, stdout, "vpdq-match", matchingMarkdown(o, cmd, rows)); err != nil {
			return err
		}
	}
	return nil
}
