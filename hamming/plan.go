package hamming

import (
	"math"
	"math/bits"
	"slices"
	"sync"
)

// Cost model of one segment search, in nanoseconds on the reference machine
// (AMD EPYC, 2 cores); only the ratios steer choices. Calibrated from the
// counters of bench/hamming at 1M and 10M hashes.
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

// lutBits caps the extra bits a filter table covers: 2^12 bits (512
// bytes) per prefix distance, so that the table of the box being filtered
// stays in the L1 cache.
const lutBits = 12

// boxFilter decides from an entry's extra bits x (already XORed with the
// query's) whether the entry can be within reach: lut[w] has bit x set if
// an entry found at prefix distance w passes. The tables encode both the
// box threshold and the pigeonring chain condition, so that the hot loop
// does a lookup instead of two popcounts. A box whose rest does not fit
// the table (keyBits > lutBits) has no tables and uses popcounts.
type boxFilter struct {
	mask  uint32       // bits of x the tables cover
	lut   [][64]uint64 // by prefix distance w
	t     int          // box threshold
	chain int          // limit on box i plus box i+1 distance
}

// cumBinom[n][t] = sum_{k<=t} C(n, k): the number of n-bit values within
// distance t of a given one.
var cumBinom = func() [257][maxThreshold + 1]float64 {
	var c [257][maxThreshold + 1]float64
	for n := 0; n <= 256; n++ {
		b := 1.0 // C(n, 0)
		s := 0.0
		for k := 0; k <= maxThreshold; k++ {
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
// segment of n hashes with uniformly distributed bits.
func tableCost(lay *layout, i, n, t int) float64 {
	bx := &lay.boxes[i]
	probes := cumBinom[lay.dirBits][t]
	scanned := probes * float64(n) / math.Ldexp(1, int(lay.dirBits))
	verified := float64(n) * cumBinom[bx.width][t] / math.Ldexp(1, int(bx.width))
	return costTable + probes*costProbe + scanned*costScan + verified*costVerify
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
	p.filt = make([]boxFilter, m)
	for i, t := range p.t {
		if t >= 0 {
			p.filt[i] = newBoxFilter(lay, i, int(t), int(t)+int(p.t[(i+1)%m])+1)
		}
	}
	return p
}

func newBoxFilter(lay *layout, i, t, chain int) boxFilter {
	b := &lay.boxes[i]
	f := boxFilter{t: t, chain: chain}
	if b.keyBits > lutBits {
		return f
	}
	// Chain bits beyond the table are dropped: a weaker, still valid filter.
	lb := min(lay.extraBits, lutBits)
	cb := min(b.chainBits, lb-b.keyBits)
	km := b.keyMask
	cm := (uint32(1)<<cb - 1) << b.keyBits
	f.mask = uint32(1)<<lb - 1
	f.lut = make([][64]uint64, t+1)
	for x := uint32(0); x <= f.mask; x++ {
		a := bits.OnesCount32(x & km)
		// x passes at every prefix distance w up to wmax.
		wmax := min(t-a, chain-a-bits.OnesCount32(x&cm))
		for w := 0; w <= wmax; w++ {
			f.lut[w][x>>6] |= 1 << (x & 63)
		}
	}
	return f
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
