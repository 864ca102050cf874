// Command import measures bank imports: it generates hash lists (random
// PDQ lines in pytx local_file form, synthetic VICS 2.0 feeds), imports each
// into a fresh SQLite database and a fresh PostgreSQL database, each import
// in a child process of its own, and reports entries per second and peak
// memory (Go heap from runtime.MemStats, resident set from VmHWM), so that
// runs at 100k and 1M entries show whether memory stays flat.
//
//	go run ./bench/import -sizes 100000,1000000 -out docs/benchmarks-import.md
//
// Without -pg it starts a throw-away PostgreSQL cluster (Debian's
// postgresql package); -db sqlite skips PostgreSQL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

type options struct {
	sizes   []int
	dbs     []string
	formats []string
	pgURL   string
	out     string
	batch   int
	keep    string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "import bench:", err)
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	sizes := fs.String("sizes", "100000,1000000", "entries per import, comma-separated")
	dbs := fs.String("db", "sqlite,postgres", "databases: sqlite, postgres")
	formats := fs.String("formats", "pytx,vics", "input formats: pytx (random PDQ lines), vics (synthetic VICS 2.0; 3 hashes per Media)")
	pgURL := fs.String("pg", "", "PostgreSQL superuser URL (default: start a throw-away cluster)")
	out := fs.String("out", "", "write the results as a section of this markdown file")
	batch := fs.Int("batch", 0, "rows per INSERT (default: the importer's)")
	keep := fs.String("dir", "", "directory for inputs and databases (default: a temporary one, removed)")
	child := fs.String("child", "", "internal: run one import described by this JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *child != "" {
		return runChild(ctx, *child, stdout)
	}
	o := options{dbs: splitList(*dbs), formats: splitList(*formats), pgURL: *pgURL, out: *out, batch: *batch, keep: *keep}
	for _, s := range splitList(*sizes) {
		n, err := strconv.Atoi(strings.ReplaceAll(s, "_", ""))
		if err != nil || n <= 0 {
			return fmt.Errorf("%w: -sizes %q", flag.ErrHelp, s)
		}
		o.sizes = append(o.sizes, n)
	}
	return runAll(ctx, o, stdout)
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
