package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/havenproject/haven/bench/internal/record"
)

type report struct {
	o   *options
	res []*result
}

func newReport(o *options) *report { return &report{o: o} }

func (r *report) add(res *result) { r.res = append(r.res, res) }

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n### Run of %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	b.WriteString(record.Stamp(record.Command("hamming", r.o.args)) + "\n")
	b.WriteString("| N | data | build (CPU) | bytes/hash | snapshot | save | load (CPU) | load average | layout |\n")
	b.WriteString("|---:|---|---:|---:|---:|---:|---:|---|---|\n")
	for _, res := range r.res {
		layout := strings.TrimSpace(res.layout)
		if _, l, ok := strings.Cut(layout, ": "); ok {
			layout = l
		}
		fmt.Fprintf(&b, "| %d | %s | %.2f s (%.2f s) | %.1f | %.0f MB | %.2f s | %.2f s (%.2f s) | %s → %s | %s |\n",
			res.n, res.dist, res.build.Seconds(), res.buildCPU.Seconds(), res.bytesPerHash,
			float64(res.snapBytes)/1e6, res.save.Seconds(), res.load.Seconds(), res.loadCPU.Seconds(),
			res.loadAvg[0], res.loadAvg[1], layout)
	}
	b.WriteString("\n| N | data | radius | q/s 1 thread | q/s per CPU-second | q/s all cores | brute force q/s | speed-up | matches/q | probes/q | verified/q | recall (sample) |\n")
	b.WriteString("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, res := range r.res {
		for _, rr := range res.radii {
			recall := 1.0
			if rr.wanted > 0 {
				recall = float64(rr.found) / float64(rr.wanted)
			}
			fmt.Fprintf(&b, "| %d | %s | %d | %.0f | %.0f | %.0f | %.1f | %.0f× | %.2f | %.0f | %.0f | %.4f (%d/%d of %d queries, %d extra) |\n",
				res.n, res.dist, rr.radius, rr.qps1, rr.qpsCPU, rr.qpsAll, rr.bruteQPS, rr.qps1/rr.bruteQPS,
				rr.matches, rr.probes, rr.candidates, recall, rr.found, rr.wanted, rr.sample, rr.extra)
		}
	}
	return b.String()
}
