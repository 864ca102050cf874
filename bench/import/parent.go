package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenproject/haven/internal/store/storetest"
)

// run is one measured import as the parent sees it.
type runResult struct {
	Format, DB string
	Size       int
	result
	CPUSeconds float64 // user+system time of the importing process
	// ServerCPU is the PostgreSQL server's CPU time during the import,
	// when the bench started the server (0 otherwise).
	ServerCPU float64
}

func runAll(ctx context.Context, o options, stdout io.Writer) error {
	dir := o.keep
	if dir == "" {
		d, err := os.MkdirTemp("", "haven-import-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	pgURL, pgPid := o.pgURL, 0
	for _, db := range o.dbs {
		if db == "postgres" && pgURL == "" {
			c, err := storetest.StartCluster(ctx)
			if err != nil {
				return fmt.Errorf("start postgres: %w", err)
			}
			defer c.Stop()
			pgURL, pgPid = c.URL, c.Pid()
		}
	}
	var results []runResult
	for _, format := range o.formats {
		for _, n := range o.sizes {
			input := filepath.Join(dir, fmt.Sprintf("%s-%d.txt", format, n))
			if err := generate(input, format, n); err != nil {
				return err
			}
			for _, db := range o.dbs {
				r, err := measure(ctx, o, dir, pgURL, pgPid, format, db, input, n)
				if err != nil {
					return fmt.Errorf("%s %d into %s: %w", format, n, db, err)
				}
				fmt.Fprintf(stdout, "%-5s %8d  %-8s %9.0f entries/s  %6.1f s (cpu %6.1f s + server %6.1f s)  heap %s  sys %s  VmHWM %s  db %s\n",
					format, r.Inserted, db, float64(r.Inserted)/r.Seconds, r.Seconds, r.CPUSeconds, r.ServerCPU,
					mib(r.HeapPeak), mib(r.SysPeak), mib(r.VmHWM), mib(uint64(r.DBBytes)))
				results = append(results, r)
			}
			os.Remove(input)
		}
	}
	if o.out != "" {
		return writeReport(o, results)
	}
	return nil
}

// measure runs one import in a child process on a fresh database.
func measure(ctx context.Context, o options, dir, pgURL string, pgPid int, format, db, input string, n int) (runResult, error) {
	dsn := filepath.Join(dir, fmt.Sprintf("db-%s-%d-%d", format, n, time.Now().UnixNano()))
	if db == "postgres" {
		var err error
		if dsn, err = freshDatabase(ctx, pgURL); err != nil {
			return runResult{}, err
		}
	} else {
		defer os.RemoveAll(dsn)
	}
	spec, _ := json.Marshal(job{Format: format, Input: input, DSN: dsn, Batch: o.batch})
	cmd := exec.CommandContext(ctx, os.Args[0], "-child", string(spec))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	server := 0.0
	if db == "postgres" {
		server = serverCPU(pgPid)
	}
	if err := cmd.Run(); err != nil {
		return runResult{}, fmt.Errorf("child: %w", err)
	}
	r := runResult{Format: format, DB: db, Size: n}
	if db == "postgres" && pgPid != 0 {
		time.Sleep(200 * time.Millisecond) // let the postmaster reap the backends
		r.ServerCPU = serverCPU(pgPid) - server
	}
	if err := json.Unmarshal(out.Bytes(), &r.result); err != nil {
		return r, fmt.Errorf("child output %q: %w", out.String(), err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.CPUSeconds = tv(ru.Utime) + tv(ru.Stime)
	}
	return r, nil
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// freshDatabase creates an empty database on the server and returns its URL.
func freshDatabase(ctx context.Context, admin string) (string, error) {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	name := "bench_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func mib(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
