package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats"
	"github.com/havenproject/haven/internal/store"
)

// job is one import, run in a child process so that VmHWM is its own.
type job struct {
	Format string
	Input  string
	DSN    string
	Batch  int
}

// result is what a child reports.
type result struct {
	Records, Inserted, Rejected int64
	Seconds                     float64
	HeapPeak, SysPeak           uint64 // bytes, sampled from runtime.MemStats
	VmHWM                       uint64 // bytes, peak resident set of the process
	DBBytes                     int64
}

func runChild(ctx context.Context, spec string, stdout io.Writer) error {
	var j job
	if err := json.Unmarshal([]byte(spec), &j); err != nil {
		return fmt.Errorf("child: %w", err)
	}
	db, err := store.Open(ctx, j.DSN)
	if err != nil {
		return err
	}
	defer db.Close()
	s := bank.NewService(db)
	if _, err := s.Create(ctx, bank.Bank{Name: "bench"}); err != nil {
		return err
	}
	f, err := os.Open(j.Input)
	if err != nil {
		return err
	}
	defer f.Close()
	rd, err := formats.NewReader(j.Format, bufio.NewReaderSize(f, 1<<20), formats.Options{Scheme: bank.SchemeVICSUS})
	if err != nil {
		return err
	}
	sampler := startSampler(10 * time.Millisecond)
	start := time.Now()
	res, err := s.Import(ctx, "bench", rd, bank.ImportOptions{
		AddedBy:    "bench",
		BatchSize:  j.Batch,
		IsRejected: func(err error) bool { return errors.Is(err, formats.ErrRecord) },
	})
	elapsed := time.Since(start)
	heap, sys := sampler.stop()
	if err != nil {
		return err
	}
	r := result{Records: res.Records, Inserted: res.Inserted, Rejected: res.Rejected, Seconds: elapsed.Seconds(),
		HeapPeak: heap, SysPeak: sys, VmHWM: vmHWM()}
	r.DBBytes, err = dbSize(ctx, db, j.DSN)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(r)
}

type sampler struct {
	done      chan struct{}
	wg        sync.WaitGroup
	heap, sys uint64
}

// startSampler records the peak Go heap and memory obtained from the OS.
// ReadMemStats stops the world briefly; at 10 ms it costs little.
func startSampler(every time.Duration) *sampler {
	s := &sampler{done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *sampler) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.heap = max(s.heap, m.HeapAlloc)
	s.sys = max(s.sys, m.Sys)
}

func (s *sampler) stop() (heap, sys uint64) {
	close(s.done)
	s.wg.Wait()
	s.sample()
	return s.heap, s.sys
}

// vmHWM reads the process's peak resident set size from /proc.
func vmHWM() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func dbSize(ctx context.Context, db *store.DB, dsn string) (int64, error) {
	if db.Dialect == store.Postgres {
		var n int64
		err := db.SQL.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
		return n, err
	}
	if _, err := db.Exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, err
	}
	var total int64
	matches, _ := filepath.Glob(filepath.Join(dsn, store.FileName+"*"))
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil {
			total += fi.Size()
		}
	}
	return total, nil
}
