package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/havenproject/haven/bench/internal/machine"
)

// result is one database's measurement.
type result struct {
	db        string
	bankSize  int
	entries   int
	indexLoad time.Duration
	requests  int64
	errors    int64
	elapsed   time.Duration
	p50, p99  time.Duration
	pmax      time.Duration
	cpu       time.Duration // process CPU time while measuring
	search    time.Duration // CPU time of one index lookup alone
	loadAvg   string        // before and after
	hits      int64         // answers with a match
}

// load runs o.conns workers, each on its own keep-alive connection,
// sending the queries round-robin: o.warmup unmeasured, then o.duration
// measured.
func load(ctx context.Context, queries []string, token string, o options) result {
	tr := &http.Transport{MaxIdleConnsPerHost: o.conns, MaxConnsPerHost: o.conns, DisableCompression: true}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	var (
		measuring atomic.Bool
		stop      atomic.Bool
		wg        sync.WaitGroup
		mu        sync.Mutex
		lat       []time.Duration
		res       result
	)
	res.loadAvg = machine.Load()
	for w := range o.conns {
		wg.Go(func() {
			mine := make([]time.Duration, 0, 1<<16)
			var n, errs, hits int64
			buf := make([]byte, 4096)
			for i := w * 997; !stop.Load(); i++ {
				req, _ := http.NewRequestWithContext(ctx, "GET", queries[i%len(queries)], nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t := time.Now()
				resp, err := client.Do(req)
				ok := err == nil && resp.StatusCode == 200
				size := 0
				if err == nil {
					for {
						m, rerr := resp.Body.Read(buf[size%len(buf):])
						size += m
						if rerr != nil {
							break
						}
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t)
				if !measuring.Load() {
					continue
				}
				n++
				if !ok {
					errs++
				}
				if size > 3 { // "{}\n" is no match
					hits++
				}
				mine = append(mine, d)
			}
			mu.Lock()
			lat = append(lat, mine...)
			res.requests += n
			res.errors += errs
			res.hits += hits
			mu.Unlock()
		})
	}
	time.Sleep(o.warmup)
	if o.cpuprof != "" {
		if f, err := os.Create(o.cpuprof); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	cpu0 := cpuTime()
	start := time.Now()
	measuring.Store(true)
	time.Sleep(o.duration)
	measuring.Store(false)
	res.elapsed = time.Since(start)
	res.cpu = cpuTime() - cpu0
	if o.cpuprof != "" {
		pprof.StopCPUProfile()
	}
	stop.Store(true)
	wg.Wait()
	res.loadAvg += " → " + machine.Load()
	slices.Sort(lat)
	if len(lat) > 0 {
		res.p50 = lat[len(lat)/2]
		res.p99 = lat[len(lat)*99/100]
		res.pmax = lat[len(lat)-1]
	}
	return res
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
