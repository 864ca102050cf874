package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/bench/internal/machine"
)

// report writes the Markdown section.
func report(w io.Writer, o options, results []result) {
	fmt.Fprintf(w, "## Server: HMA-compatible PDQ lookups\n\n")
	fmt.Fprintf(w, "Machine: %s. Date: %s.\n", machine.Describe(), time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(w, "Command: `go run ./bench/serve -n %s -conns %d -duration %s` (bench/serve/run.sh). ", joinInts(o.sizes), o.conns, o.duration)
	fmt.Fprintf(w, "`GET /m/lookup?banks=…&signal_type=pdq&signal=…` with a partner's API token, against one bank of random PDQ hashes (the largest bank is the target; a small one shows what the server costs beside the index search), "+
		"from %d concurrent keep-alive connections on loopback; the load generator runs in the server's process, so both share the machine's cores. "+
		"%.0f%% of the queries lie within 8 bits of a bank hash (matches), the rest are random (misses); radius 31. "+
		"Each request authenticates the token (cached by auth.Service), is counted in the batched audit trail and in the metrics. "+
		"Latency is measured by the generator (request written to answer read). CPU per request is the process's (server and generator) over the measured time; "+
		"index search alone is the CPU time of one match.Index lookup of the same queries on one goroutine, without HTTP. Load average: 1, 5 and 15 minutes, before → after.\n\n",
		o.conns, o.hitRatio*100)
	fmt.Fprintf(w, "| database | bank | PDQ entries indexed | index load | requests/s | p50 | p99 | max | CPU per request | index search alone | errors | answers with a match | load average |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		rps := float64(r.requests) / r.elapsed.Seconds()
		cpuPer := time.Duration(0)
		if r.requests > 0 {
			cpuPer = r.cpu / time.Duration(r.requests)
		}
		fmt.Fprintf(w, "| %s | %d | %d | %s | %.0f | %s | %s | %s | %s | %s | %d | %.0f%% | %s |\n", r.db, r.bankSize, r.entries,
			r.indexLoad.Round(10*time.Millisecond), rps, ms(r.p50), ms(r.p99), ms(r.pmax), us(cpuPer), us(r.search), r.errors,
			100*float64(r.hits)/float64(max(r.requests, 1)), r.loadAvg)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }
func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/1e3) }

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}
