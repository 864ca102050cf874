package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
	"github.com/havenproject/haven/vpdq"
)

type matchRow struct {
	videos, frames int
	build, exBuild time.Duration
	indexMB, exMB  float64
	// match.Index: the server's and triage's index, loaded from vPDQ text.
	mBuild              time.Duration
	mMB                 float64
	mMean, mMax, mCPU   time.Duration
	mEqual              int
	indexMean, indexMax time.Duration
	exMean, exMax       time.Duration
	indexCPU, exCPU     time.Duration // mean processor time per query
	matches, equal, qn  int
	copies, unrelated   int
	copyHits, falseHits int
}

// collection describes a synthetic collection: n videos of 30-300 frames
// (1 fps) with random scene hashes; sources are the positions of videos
// that queries are derived from, each with planted near-copies among the
// last videos.
type collection struct {
	n       int
	seed    uint64
	sources []int
	planted int // near-copies per source
}

// Synthetic frame hashes: scenes start with a uniformly random hash and
// drift a few bits from frame to frame; some frames are repeated exactly,
// one in ten has low quality.
func synthVideo(r *rand.Rand) []vpdq.Frame {
	n := 30 + r.IntN(271)
	out := make([]vpdq.Frame, n)
	var scene pdq.Hash
	for i := range out {
		switch {
		case i == 0 || r.IntN(8) == 0:
			scene = randHash(r)
		case r.IntN(2) == 0:
			scene = flip(r, scene, r.IntN(5))
		}
		q := 100 - r.IntN(40)
		if r.IntN(10) == 0 {
			q = r.IntN(50)
		}
		out[i] = vpdq.Frame{Number: 30 * i, Hash: scene, Quality: q, Timestamp: float64(i)}
	}
	return out
}

func randHash(r *rand.Rand) (h pdq.Hash) {
	for i := 0; i < len(h); i += 8 {
		v := r.Uint64()
		for k := range 8 {
			h[i+k] = byte(v >> (8 * k))
		}
	}
	return h
}

func flip(r *rand.Rand, h pdq.Hash, n int) pdq.Hash {
	for range n {
		k := r.IntN(256)
		h[k/8] ^= 1 << (k % 8)
	}
	return h
}

// nearCopy is a re-encoded, trimmed copy: a stretch of at least half of
// v, each hash moved up to maxFlip bits, a few frames dropped.
func nearCopy(r *rand.Rand, v []vpdq.Frame, maxFlip int) []vpdq.Frame {
	keep := len(v)/2 + r.IntN(len(v)-len(v)/2+1)
	lo := r.IntN(len(v) - keep + 1)
	var out []vpdq.Frame
	for _, f := range v[lo : lo+keep] {
		if r.IntN(20) == 0 {
			continue
		}
		f.Hash = flip(r, f.Hash, r.IntN(maxFlip+1))
		out = append(out, f)
	}
	for i := range out {
		out[i].Number, out[i].Timestamp = 30*i, float64(i)
	}
	return out
}

// each calls fn with the collection's videos in chunks, regenerating them
// from the seed, and returns the source videos' frames.
func (c *collection) each(fn func([]vpdq.Video) error) ([][]vpdq.Frame, error) {
	r := rand.New(rand.NewPCG(c.seed, uint64(c.n)))
	isSource := map[int]int{}
	for k, i := range c.sources {
		isSource[i] = k
	}
	srcFrames := make([][]vpdq.Frame, len(c.sources))
	base := c.n - c.planted*len(c.sources)
	var chunk []vpdq.Video
	for i := range base {
		f := synthVideo(r)
		if k, ok := isSource[i]; ok {
			srcFrames[k] = f
		}
		chunk = append(chunk, vpdq.Video{ID: uint64(i), Frames: f})
		if len(chunk) == 10000 {
			if err := fn(chunk); err != nil {
				return nil, err
			}
			chunk = chunk[:0]
		}
	}
	for k := range c.sources {
		for p := range c.planted {
			id := base + k*c.planted + p
			chunk = append(chunk, vpdq.Video{ID: uint64(id), Frames: nearCopy(r, srcFrames[k], 16)})
		}
	}
	return srcFrames, fn(chunk)
}

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / 1e6
}

func measureMatching(ctx context.Context, o *options, stderr io.Writer) ([]matchRow, error) {
	var rows []matchRow
	for _, n := range o.sizes {
		row, err := measureCollection(ctx, o, n, stderr)
		if err != nil {
			return nil, fmt.Errorf("%d videos: %w", n, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func measureCollection(ctx context.Context, o *options, n int, stderr io.Writer) (matchRow, error) {
	row := matchRow{videos: n, qn: o.queries}
	r := rand.New(rand.NewPCG(o.seed, 7))
	c := &collection{n: n, seed: o.seed, planted: 4}
	for range (o.queries + 1) / 2 {
		c.sources = append(c.sources, r.IntN(n-4*((o.queries+1)/2)))
	}
	// One structure in memory at a time: the vpdq index, then match.Index,
	// then the exhaustive comparison, each measured alone.
	h0 := heapMB()
	x, err := vpdq.NewIndex(vpdq.DefaultMatch)
	if err != nil {
		return row, err
	}
	t0 := time.Now()
	src, err := c.each(func(vs []vpdq.Video) error {
		for _, v := range vs {
			row.frames += len(v.Frames)
		}
		return x.AddBatch(vs)
	})
	if err != nil {
		return row, err
	}
	row.build = time.Since(t0) // includes generating the frames
	row.indexMB = heapMB() - h0 - float64(sizeOf(src))/1e6
	fmt.Fprintf(stderr, "%d videos, %d frames: index built in %.1f s, %.0f MB\n", n, row.frames, row.build.Seconds(), row.indexMB)
	queries, kinds := makeQueries(r, o.queries, src, &row)
	results := make([][]vpdq.Match, len(queries))
	for qi, q := range queries {
		got, mean, cpu, err := timeSearch(ctx, x, q)
		if err != nil {
			return row, err
		}
		results[qi] = got
		row.indexCPU += cpu
		row.indexMean += mean
		row.indexMax = max(row.indexMax, mean)
		row.matches += len(got)
		if kinds[qi] == "unrelated" {
			row.falseHits += len(got)
		} else if len(got) > 0 {
			row.copyHits++
		}
		fmt.Fprintf(stderr, "  query %d (%s, %d frames): %d matches; index %.2f ms (CPU %.2f)\n", qi, kinds[qi], len(q), len(got), ms(mean), ms(cpu))
	}
	runtime.KeepAlive(x)
	x = nil
	if err := measureMatchIndex(ctx, c, queries, results, &row, stderr); err != nil {
		return row, err
	}
	h1 := heapMB()
	e, _ := vpdq.NewExhaustive(vpdq.DefaultMatch)
	t0 = time.Now()
	if _, err := c.each(e.AddBatch); err != nil {
		return row, err
	}
	row.exBuild = time.Since(t0)
	row.exMB = heapMB() - h1 - float64(sizeOf(src))/1e6
	for qi, q := range queries {
		c0, t0 := cpuTime(), time.Now()
		want, err := e.Search(ctx, q)
		if err != nil {
			return row, err
		}
		ex, exCPU := time.Since(t0), cpuTime()-c0
		row.exCPU += exCPU
		equal := reflect.DeepEqual(results[qi], want)
		if equal {
			row.equal++
		}
		row.exMean += ex
		row.exMax = max(row.exMax, ex)
		fmt.Fprintf(stderr, "  query %d: exhaustive %.0f ms (CPU %.0f), equal %v\n", qi, ms(ex), ms(exCPU), equal)
	}
	qn := time.Duration(o.queries)
	row.indexMean /= qn
	row.exMean /= qn
	row.indexCPU /= qn
	row.exCPU /= qn
	row.mMean /= qn
	row.mCPU /= qn
	if row.equal != o.queries || row.mEqual != o.queries {
		return row, fmt.Errorf("results differ: index and exhaustive on %d of %d queries, match.Index on %d",
			o.queries-row.equal, o.queries, o.queries-row.mEqual)
	}
	runtime.KeepAlive(e)
	return row, nil
}

// makeQueries derives the queries: near-copies of sources, compilations
// of two, unrelated videos.
func makeQueries(r *rand.Rand, n int, src [][]vpdq.Frame, row *matchRow) ([][]vpdq.Frame, []string) {
	var qs [][]vpdq.Frame
	var kinds []string
	for qi := range n {
		switch {
		case qi%2 == 0:
			qs, kinds = append(qs, nearCopy(r, src[qi/2], 16)), append(kinds, "copy")
			row.copies++
		case qi%4 == 3 && len(src) > 1:
			// A compilation: clips of two indexed videos.
			q := append(nearCopy(r, src[qi/2], 16), nearCopy(r, src[(qi/2+1)%len(src)], 16)...)
			qs, kinds = append(qs, q), append(kinds, "compilation")
			row.copies++
		default:
			qs, kinds = append(qs, synthVideo(r)), append(kinds, "unrelated")
			row.unrelated++
		}
	}
	return qs, kinds
}

// measureMatchIndex loads the collection into a match.Index as the server
// does (vPDQ text entries of one bank, parsed on Add) and checks its hits
// against the vpdq index's results.
func measureMatchIndex(ctx context.Context, c *collection, queries [][]vpdq.Frame, want [][]vpdq.Match, row *matchRow, stderr io.Writer) error {
	h0 := heapMB()
	mx := match.New()
	if err := mx.SetBank(match.Bank{ID: 1, Name: "videos", Kind: bank.Positive}); err != nil {
		return err
	}
	t0 := time.Now()
	if _, err := c.each(func(vs []vpdq.Video) error {
		es := make([]match.Entry, len(vs))
		for i, v := range vs {
			// Entry ids start at 1.
			es[i] = match.Entry{ID: int64(v.ID) + 1, BankID: 1, Signal: signal.Signal{Kind: signal.VPDQ, Value: vpdq.FormatSignal(v.Frames)}}
		}
		return mx.AddBatch(es)
	}); err != nil {
		return err
	}
	row.mBuild = time.Since(t0)
	row.mMB = heapMB() - h0
	fmt.Fprintf(stderr, "match.Index built in %.1f s, %.0f MB\n", row.mBuild.Seconds(), row.mMB)
	for qi, q := range queries {
		mq := match.VideoQuery(q)
		var hits []match.Hit
		c0, t0, reps := cpuTime(), time.Now(), 0
		for reps < 50 && (reps == 0 || time.Since(t0) < 200*time.Millisecond) {
			var err error
			if hits, err = mx.LookupContext(ctx, mq); err != nil {
				return err
			}
			reps++
		}
		mean, cpu := time.Since(t0)/time.Duration(reps), (cpuTime()-c0)/time.Duration(reps)
		row.mMean += mean
		row.mMax = max(row.mMax, mean)
		row.mCPU += cpu
		equal := len(hits) == len(want[qi])
		for i := 0; equal && i < len(hits); i++ {
			equal = uint64(hits[i].EntryID-1) == want[qi][i].ID && reflect.DeepEqual(*hits[i].Video, want[qi][i].Comparison)
		}
		if equal {
			row.mEqual++
		}
		fmt.Fprintf(stderr, "  query %d: match.Index %.2f ms (CPU %.2f), equal %v\n", qi, ms(mean), ms(cpu), equal)
	}
	runtime.KeepAlive(mx)
	return nil
}

// timeSearch runs a search repeatedly for at least 200 ms (or 50 times)
// and returns the first result and the mean wall and processor times.
func timeSearch(ctx context.Context, x *vpdq.Index, q []vpdq.Frame) ([]vpdq.Match, time.Duration, time.Duration, error) {
	var first []vpdq.Match
	c0, t0 := cpuTime(), time.Now()
	n := 0
	for n < 50 && (n == 0 || time.Since(t0) < 200*time.Millisecond) {
		got, err := x.Search(ctx, q)
		if err != nil {
			return nil, 0, 0, err
		}
		if n == 0 {
			first = got
		}
		n++
	}
	return first, time.Since(t0) / time.Duration(n), (cpuTime() - c0) / time.Duration(n), nil
}

func sizeOf(src [][]vpdq.Frame) int {
	n := 0
	for _, f := range src {
		n += len(f) * int(reflectSize)
	}
	return n
}

var reflectSize = reflect.TypeFor[vpdq.Frame]().Size()

func matchingMarkdown(o *options, cmd string, rows []matchRow) string {
	var b strings.Builder
	b.WriteString(header("vPDQ matching: index against exhaustive comparison", cmd))
	fmt.Fprintf(&b, "Synthetic collections: each video has 30–300 frame hashes (1 frame/s): scenes of uniformly random "+
		"hashes drifting 0–4 bits per frame, some frames repeated, one in ten of low quality. %d queries per collection: "+
		"near-copies of indexed videos (a stretch of at least half, up to 16 bits moved per frame, frames dropped), "+
		"one compilation of two clips in four, and unrelated videos; each source video also has 4 near-copies planted "+
		"in the collection. Match options: %s rule, distance %d, quality %d. Both searches run on one goroutine; the "+
		"index time is the mean of repeated searches, the exhaustive time one run per query. CPU is this process's "+
		"processor time (the search, plus any GC), which other work on the machine does not inflate as it does wall "+
		"time; the speed-up is the ratio of CPU times. Build times (wall) include generating the hashes. Memory is the "+
		"heap growth after GC. `match.Index` is the index the server and triage use: the same collection as one bank's "+
		"vPDQ entries in text form (parsed on loading, as from the store), looked up with `match.VideoQuery`; its hits "+
		"are checked against the vpdq index's results.\n\n",
		o.queries, vpdq.DefaultMatch.Rule, vpdq.DefaultMatch.Distance, vpdq.DefaultMatch.Quality)
	b.WriteString("| videos | frames | index build | index MB | exhaustive MB | index CPU ms/query | index wall ms/query (mean, max) | exhaustive CPU ms/query | exhaustive wall ms/query (mean, max) | speed-up | matches/query | copies found | unrelated with matches | equal results |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %d | %d | %.1f s | %.0f | %.0f | %.1f | %.1f, %.1f | %.0f | %.0f, %.0f | %.0f× | %.1f | %d/%d | %d/%d | %d/%d |\n",
			r.videos, r.frames, r.build.Seconds(), r.indexMB, r.exMB,
			ms(r.indexCPU), ms(r.indexMean), ms(r.indexMax), ms(r.exCPU), ms(r.exMean), ms(r.exMax), float64(r.exCPU)/float64(r.indexCPU),
			float64(r.matches)/float64(r.qn), r.copyHits, r.copies, r.falseHits, r.unrelated, r.equal, r.qn)
	}
	b.WriteString("\n| videos | match.Index load (from text) | match.Index MB | match.Index CPU ms/query | match.Index wall ms/query (mean, max) | speed-up over exhaustive (CPU) | same hits as the vpdq index |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %d | %.1f s | %.0f | %.1f | %.1f, %.1f | %.0f× | %d/%d |\n",
			r.videos, r.mBuild.Seconds(), r.mMB, ms(r.mCPU), ms(r.mMean), ms(r.mMax), float64(r.exCPU)/float64(r.mCPU), r.mEqual, r.qn)
	}
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
