package web

import (
	"bufio"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// latencyBounds are the histogram's upper bounds, in seconds: fine below
// 10 ms, where lookups should stay.
var latencyBounds = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts requests by route and status and their latency, for the
// Prometheus text exposition at /metrics (written with the standard
// library: a handful of counters does not need a client library). Each
// route has its counters fixed at Handle time, so that counting takes no
// lock.
type metrics struct {
	mu        sync.Mutex
	routes    map[string]*routeMetrics
	unmatched *routeMetrics
}

type routeMetrics struct {
	pattern string
	// status counts responses by status code (index: code - 100).
	status  [500]atomic.Uint64
	buckets []atomic.Uint64 // per latencyBounds, not cumulative; last is +Inf
	count   atomic.Uint64
	sumNs   atomic.Uint64
}

func newMetrics() *metrics {
	m := &metrics{routes: map[string]*routeMetrics{}}
	m.unmatched = m.route("unmatched")
	return m
}

func (m *metrics) route(pattern string) *routeMetrics {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.routes[pattern]; r != nil {
		return r
	}
	r := &routeMetrics{pattern: pattern, buckets: make([]atomic.Uint64, len(latencyBounds)+1)}
	m.routes[pattern] = r
	return r
}

func (r *routeMetrics) observe(status int, d time.Duration) {
	if status == 0 {
		status = http.StatusOK
	}
	if status >= 100 && status < 600 {
		r.status[status-100].Add(1)
	}
	sec := d.Seconds()
	i, _ := slices.BinarySearch(latencyBounds, sec)
	r.buckets[i].Add(1)
	r.count.Add(1)
	r.sumNs.Add(uint64(d.Nanoseconds()))
}

// gauge is one extra sample written after the request metrics.
type gauge struct {
	name, help, kind string
	value            float64
}

// write writes the exposition.
func (m *metrics) write(w *bufio.Writer, extra []gauge) {
	m.mu.Lock()
	routes := make([]*routeMetrics, 0, len(m.routes))
	for _, r := range m.routes {
		routes = append(routes, r)
	}
	m.mu.Unlock()
	slices.SortFunc(routes, func(a, b *routeMetrics) int { return strings.Compare(a.pattern, b.pattern) })

	fmt.Fprintln(w, "# HELP haven_http_requests_total HTTP requests answered, by route and status code.")
	fmt.Fprintln(w, "# TYPE haven_http_requests_total counter")
	for _, r := range routes {
		for i := range r.status {
			if n := r.status[i].Load(); n > 0 {
				fmt.Fprintf(w, "haven_http_requests_total{route=%s,code=\"%d\"} %d\n", quoteLabel(r.pattern), i+100, n)
			}
		}
	}
	fmt.Fprintln(w, "# HELP haven_http_request_duration_seconds Time to answer HTTP requests, by route.")
	fmt.Fprintln(w, "# TYPE haven_http_request_duration_seconds histogram")
	for _, r := range routes {
		count := r.count.Load()
		if count == 0 {
			continue
		}
		label := quoteLabel(r.pattern)
		var cum uint64
		for i, le := range latencyBounds {
			cum += r.buckets[i].Load()
			fmt.Fprintf(w, "haven_http_request_duration_seconds_bucket{route=%s,le=\"%g\"} %d\n", label, le, cum)
		}
		cum += r.buckets[len(latencyBounds)].Load()
		fmt.Fprintf(w, "haven_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", label, cum)
		fmt.Fprintf(w, "haven_http_request_duration_seconds_sum{route=%s} %g\n", label, float64(r.sumNs.Load())/1e9)
		fmt.Fprintf(w, "haven_http_request_duration_seconds_count{route=%s} %d\n", label, cum)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	extra = append(extra,
		gauge{"go_goroutines", "Goroutines that currently exist.", "gauge", float64(runtime.NumGoroutine())},
		gauge{"go_memstats_heap_alloc_bytes", "Bytes of allocated heap objects.", "gauge", float64(ms.HeapAlloc)},
	)
	for _, g := range extra {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %g\n", g.name, g.help, g.name, g.kind, g.name, g.value)
	}
}

// quoteLabel quotes a label value as the exposition format escapes it.
func quoteLabel(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
