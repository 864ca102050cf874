package hamming

import (
	"math"
	"math/bits"
	"slices"
	"sync"
)

// Cost model of one segment search, in nanoseconds of CPU on the reference
// machine (AMD EPYC VM, 2 cores, shared); only the ratios steer choices.
// Fitted by least squares to the CPU time per query of five layouts at 10M
// hashes (probes, entries and candidates counted by Explain); random
// accesses cost about 75 ns each there, sequential ones 1.5-3 ns. memScale
// discounts random accesses for segments that fit in the caches.
const (
	costProbe  = 75.0  // one directory lookup: a miss for the offsets, one for the bucket
	costScan   = 3.0   // one packed entry tested against the filter, sequential
	costVerify = 75.0  // one candidate hash fetched at random and compared
	costLinear = 1.5   // one hash compared in a sequential scan
	costTable  = 300.0 // fixed cost of using one table in a query
)

// maxThreshold is the largest per-box threshold the planner considers; the
// number of probes grows as C(dirBits, t), so larger ones never pay.
const maxThreshold = 8

// cumBinom covers chain limits up to 2*maxThreshold+1.
const maxCum = 2*maxThreshold + 1

// plan says how one segment answers a query of one radius: either a linear
// scan, or for each box the threshold t (box probed for entries whose box
// differs from the query's in at most t bits; -1: box not probed).
// Exactness: the thresholds satisfy sum(t+1) >= radius+1, so by the
// generalised pigeonhole principle every hash within the radius has some
// box within its threshold (see doc.go for the chain filter).
type plan struct {
	linear bool
	t      []int8
	cost   float64
	filt   []boxFilter // per box, for probed boxes
}

// boxFilter decides from an entry's extra bits x (XORed with the query's)
// whether the entry can be within reach: bit x of lut[w] is set if an
// entry found at prefix distance w passes. The tables encode both the box
// threshold t and the pigeonring chain condition (box i plus box i+1
// within chain), so that the hot loop does one lookup.
type boxFilter struct {
	mask  uint32     // the extra bits
	lut   [][]uint64 // by prefix distance w, 2^extraBits bits each
	t     int
	chain int
}

// filterKey identifies a filter's tables: they depend only on these.
type filterKey struct {
	extraBits, keyBits, chainBits uint
	t, chain                      int
}

// filterCache shares filter tables between plans and segments: a new
// segment (every 1024 additions) must not pay for them again.
var filterCache sync.Map // filterKey -> [][]uint64

func newBoxFilter(lay *layout, i, t, chain int) boxFilter {
	b := &lay.boxes[i]
	f := boxFilter{t: t, chain: chain, mask: uint32(1)<<lay.extraBits - 1}
	key := filterKey{lay.extraBits, b.keyBits, b.chainBits, t, chain}
	if lut, ok := filterCache.Load(key); ok {
		f.lut = lut.([][]uint64)
		return f
	}
	words := max(1, (int(f.mask)+1)/64)
	f.lut = make([][]uint64, t+1)
	for w := range f.lut {
		f.lut[w] = make([]uint64, words)
	}
	for x := uint32(0); x <= f.mask; x++ {
		a := bits.OnesCount32(x & b.keyMask)
		// x passes at every prefix distance w up to wmax.
		wmax := min(t-a, chain-a-bits.OnesCount32(x&b.chainMask))
		for w := 0; w <= wmax; w++ {
			f.lut[w][x>>6] |= 1 << (x & 63)
		}
	}
	filterCache.Store(key, f.lut)
	return f
}

// pass reports whether extra bits x pass at prefix distance w.
func (f *boxFilter) pass(x uint32, w int) bool {
	x &= f.mask
	return f.lut[w][x>>6]&(1<<(x&63)) != 0
}

// cumBinom[n][t] = sum_{k<=t} C(n, k): the number of n-bit values within
// distance t of a given one.
var cumBinom = func() [257][maxCum + 1]float64 {
	var c [257][maxCum + 1]float64
	for n := 0; n <= 256; n++ {
		b := 1.0 // C(n, 0)
		s := 0.0
		for k := 0; k <= maxCum; k++ {
			if k > 0 {
				b = b * float64(n-k+1) / float64(k)
			}
			if k <= n {
				s += b
			}
			c[n][k] = s
		}
	}
	return c
}()

// tableCost estimates the cost of probing box i of lay at threshold t in a
// segment of n hashes with uniformly distributed bits. The chain filter is
// modelled as if the next box had the same threshold.
func tableCost(lay *layout, i, n, t int) float64 {
	bx := &lay.boxes[i]
	mem := memScale(float64(n) * (40 + lay.bytesPerHash(n)))
	probes := cumBinom[lay.dirBits][t]
	scanned := probes * float64(n) / math.Ldexp(1, int(lay.dirBits))
	verified := 0.0
	for j := 0; j <= t; j++ { // candidates at box distance j passing the chain
		c := cumBinom[bx.chainBits][min(maxCum, 2*t+1-j)] / math.Ldexp(1, int(bx.chainBits))
		verified += (cumBinom[bx.width][j] - prevBinom(bx.width, j)) * min(1, c)
	}
	verified *= float64(n) / math.Ldexp(1, int(bx.width))
	return costTable + mem*(probes*costProbe+scanned*costScan+verified*costVerify)
}

// memScale scales the costs of random access for a working set of ws
// bytes: the constants above are for hundreds of megabytes (a miss to
// DRAM each); a set of a few megabytes is mostly served by the caches.
func memScale(ws float64) float64 {
	const lo, hi = 22, 28 // 4 MiB .. 256 MiB
	f := (math.Log2(max(ws, 1)) - lo) / (hi - lo)
	return 0.25 + 0.75*min(1, max(0, f))
}

func prevBinom(n uint, j int) float64 {
	if j == 0 {
		return 0
	}
	return cumBinom[n][j-1]
}

func linearCost(n int) float64 { return float64(n) * costLinear }

// makePlan chooses per-box thresholds for radius r minimising the modelled
// cost (a small knapsack: box i "buys" t_i+1 units of the r+1 needed), or
// a linear scan when that is cheaper or no thresholds are feasible.
func makePlan(lay *layout, n, r int) *plan { return makePlanLinear(lay, n, r, true) }

// makePlanLinear is makePlan choosing a linear scan only if allowed or if
// no thresholds reach radius r (tests use it to exercise the tables).
func makePlanLinear(lay *layout, n, r int, allowLinear bool) *plan {
	lin := &plan{linear: true, cost: linearCost(n)}
	if lay == nil || r >= 256 {
		return lin
	}
	need := r + 1
	m := len(lay.boxes)
	inf := math.Inf(1)
	// best[i][u]: least cost using boxes < i with min(units, need) == u;
	// pick and from record the threshold of box i-1 and the state before.
	best := make([][]float64, m+1)
	pick := make([][]int8, m+1)
	from := make([][]int16, m+1)
	for i := range best {
		best[i] = make([]float64, need+1)
		pick[i] = make([]int8, need+1)
		from[i] = make([]int16, need+1)
		for u := range best[i] {
			best[i][u] = inf
		}
	}
	best[0][0] = 0
	tmax := min(maxThreshold, int(lay.dirBits))
	for i := 0; i < m; i++ {
		for u, c := range best[i] {
			if c == inf {
				continue
			}
			for t := -1; t <= tmax; t++ {
				cost := c
				if t >= 0 {
					cost += tableCost(lay, i, n, t)
				}
				v := min(need, u+t+1)
				if cost < best[i+1][v] {
					best[i+1][v], pick[i+1][v], from[i+1][v] = cost, int8(t), int16(u)
				}
			}
		}
	}
	if best[m][need] == inf || allowLinear && best[m][need] >= lin.cost {
		return lin
	}
	p := &plan{t: make([]int8, m), cost: best[m][need]}
	for i, u := m, need; i > 0; i-- {
		p.t[i-1] = pick[i][u]
		u = int(from[i][u])
	}
	return p
}

// withFilters returns p with the filter tables of its probed boxes.
func (p *plan) withFilters(lay *layout) *plan {
	if p.linear {
		return p
	}
	m := len(p.t)
	p.filt = make([]boxFilter, m)
	for i, t := range p.t {
		if t >= 0 {
			p.filt[i] = newBoxFilter(lay, i, int(t), int(t)+int(p.t[(i+1)%m])+1)
		}
	}
	return p
}

// masksUpTo returns the dirBits-bit values of popcount at most t in
// ascending order, each with its popcount in the top bits (weightShift),
// cached.
func masksUpTo(dirBits uint, t int) []uint32 {
	mc := &maskCache[dirBits][t]
	mc.once.Do(func() {
		for w := 0; w <= t; w++ {
			mc.m = append(mc.m, enumMasks(dirBits, w)...)
		}
		slices.Sort(mc.m)
		for k, v := range mc.m {
			mc.m[k] = v | uint32(bits.OnesCount32(v))<<weightShift
		}
	})
	return mc.m
}

// weightShift places a mask's popcount above its (at most 24) bits.
const weightShift = 27

var maskCache [maxDirBits + 1][maxThreshold + 1]struct {
	once sync.Once
	m    []uint32
}

// enumMasks returns the n-bit values of popcount w.
func enumMasks(n uint, w int) []uint32 {
	if w == 0 {
		return []uint32{0}
	}
	if uint(w) > n {
		return nil
	}
	var out []uint32
	limit := uint64(1) << n
	for x := uint64(1)<<uint(w) - 1; x < limit; {
		out = append(out, uint32(x))
		// Gosper's hack: the next larger value with the same popcount.
		c := x & -x
		r := x + c
		x = (((r ^ x) >> 2) / c) | r
	}
	return out
}
