package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/havenproject/haven/hamming"
)

type result struct {
	n               int
	dist            string
	layout          string
	build, buildCPU time.Duration
	bytesPerHash    float64
	snapBytes       int64
	save, load      time.Duration
	loadCPU         time.Duration
	loadAvg         [2]string // at start and end
	radii           []radiusResult
}

type radiusResult struct {
	radius        int
	qps1, qpsAll  float64
	qpsCPU        float64 // single thread, per second of its CPU time
	bruteQPS      float64
	matches       float64 // mean results per query
	probes        float64 // mean directory probes per query
	candidates    float64 // mean hashes verified per query
	wanted, found int     // recall sample: brute-force results, found by the index
	extra         int     // index results brute force did not return
	sample        int
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func measure(ctx context.Context, o *options, n int, dist string, log io.Writer) (*result, error) {
	rnd := rand.New(rand.NewPCG(o.seed, uint64(n)^uint64(len(dist))))
	logf := func(format string, a ...any) {
		fmt.Fprintf(log, "n=%d %s: "+format+"\n", append([]any{n, dist}, a...)...)
	}
	es := dataset(rnd, n, dist)
	res := &result{n: n, dist: dist}
	res.loadAvg[0] = loadAverage()

	base := heapAlloc()
	t0, c0 := time.Now(), processCPU()
	x := hamming.NewWithOptions(hamming.Options{MaxBytesPerHash: o.budget})
	x.AddBatch(es)
	res.build, res.buildCPU = time.Since(t0), processCPU()-c0
	res.bytesPerHash = float64(heapAlloc()-base) / float64(n)
	res.layout = x.Describe()
	logf("built in %v, %.1f bytes/hash\n%s", res.build, res.bytesPerHash, res.layout)

	x, err := snapshotRoundTrip(o, &x, res)
	if err != nil {
		return nil, err
	}
	logf("snapshot %d bytes, save %v, load %v", res.snapBytes, res.save, res.load)

	qs := queryMix(rnd, es, o.queries)
	lin := hamming.LinearFrom(es)
	es = nil
	sample := qs[:min(o.recall, len(qs))]
	want := make([][]hamming.Match, len(sample))
	for i, q := range sample { // brute force once at the largest radius
		want[i] = lin.Search(q, slices.Max(o.radii), nil)
	}
	for _, r := range o.radii {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rr := radiusResult{radius: r, sample: len(sample)}
		rr.qps1, rr.qpsCPU = timeOneThread(o.minTime, qs, func(q hamming.Hash, dst []hamming.Match) []hamming.Match {
			return x.Search(q, r, dst)
		})
		rr.qpsAll = timeQueries(o.minTime, runtime.GOMAXPROCS(0), qs, func(q hamming.Hash, dst []hamming.Match) []hamming.Match {
			return x.Search(q, r, dst)
		})
		rr.bruteQPS, _ = timeOneThread(o.minTime, qs, func(q hamming.Hash, dst []hamming.Match) []hamming.Match {
			return lin.Search(q, r, dst)
		})
		for _, q := range qs[:min(500, len(qs))] {
			st := x.Explain(q, r)
			rr.matches += float64(st.Matches)
			rr.probes += float64(st.Probes)
			rr.candidates += float64(st.Candidates)
		}
		k := float64(min(500, len(qs)))
		rr.matches, rr.probes, rr.candidates = rr.matches/k, rr.probes/k, rr.candidates/k
		for i, q := range sample {
			got := x.Search(q, r, nil)
			var w []hamming.Match
			for _, m := range want[i] {
				if m.Distance <= r {
					w = append(w, m)
				}
			}
			found := 0
			for _, m := range w {
				if slices.Contains(got, m) {
					found++
				}
			}
			rr.wanted += len(w)
			rr.found += found
			rr.extra += len(got) - found
		}
		logf("radius %d: %.0f q/s (1 thread), %.0f q/s (all), brute %.1f q/s, recall %d/%d, extra %d",
			r, rr.qps1, rr.qpsAll, rr.bruteQPS, rr.found, rr.wanted, rr.extra)
		res.radii = append(res.radii, rr)
	}
	runtime.KeepAlive(lin)
	res.loadAvg[1] = loadAverage()
	return res, nil
}

// snapshotRoundTrip saves *px to a file and loads it back, timing both; the
// loaded index replaces the saved one, which is dropped before loading.
func snapshotRoundTrip(o *options, px **hamming.Index, res *result) (*hamming.Index, error) {
	x := *px
	f, err := os.CreateTemp(o.snapDir, "hamming-bench-*.snap")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	t0 := time.Now()
	if res.snapBytes, err = x.WriteTo(f); err != nil {
		return nil, err
	}
	res.save = time.Since(t0)
	want := x.Len()
	x, *px = nil, nil
	heapAlloc() // drop the built index before loading
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	t0, c0 := time.Now(), processCPU()
	y, err := hamming.LoadWithOptions(bufio.NewReaderSize(f, 1<<20), hamming.Options{MaxBytesPerHash: o.budget})
	if err != nil {
		return nil, err
	}
	res.load, res.loadCPU = time.Since(t0), processCPU()-c0
	if y.Len() != want {
		return nil, fmt.Errorf("loaded %d entries, saved %d", y.Len(), want)
	}
	return y, nil
}

// timeOneThread runs search over qs on one locked OS thread for at least
// minTime seconds and returns queries per second of wall time and of the
// thread's CPU time.
func timeOneThread(minTime float64, qs []hamming.Hash, search func(hamming.Hash, []hamming.Match) []hamming.Match) (float64, float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	limit := time.Duration(minTime * float64(time.Second))
	var dst []hamming.Match
	t0, c0 := time.Now(), threadCPU()
	n := 0
	for ; n%4 != 0 || time.Since(t0) < limit; n++ {
		dst = search(qs[n%len(qs)], dst[:0])
	}
	wall, cpu := time.Since(t0), threadCPU()-c0
	return float64(n) / wall.Seconds(), float64(n) / cpu.Seconds()
}

// timeQueries runs search over qs (cycling) on workers goroutines for at
// least minTime seconds and returns queries per second.
func timeQueries(minTime float64, workers int, qs []hamming.Hash, search func(hamming.Hash, []hamming.Match) []hamming.Match) float64 {
	var wg sync.WaitGroup
	counts := make([]int, workers)
	t0 := time.Now()
	limit := time.Duration(minTime * float64(time.Second))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst []hamming.Match
			for i := w * len(qs) / workers; ; i++ {
				dst = search(qs[i%len(qs)], dst[:0])
				counts[w]++
				if counts[w]%4 == 0 && time.Since(t0) >= limit {
					return
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	return float64(total) / time.Since(t0).Seconds()
}
