package hamming

import (
	"fmt"
	"math/bits"
	"strings"
	"sync"
)

const (
	maxDirBits   = 24 // largest directory: 2^24 offsets per table
	minTabled    = 2048
	maxExtraBits = 16 // extra bits an entry carries at most (filter tables of 2^16 bits)
)

// box is one substring of the 256-bit ring, indexed by one table.
type box struct {
	start, width uint   // bit range on the ring
	keyBits      uint   // width - dirBits: the rest of the box, kept in entries
	chainBits    uint   // bits of the next box kept in entries after them
	keyMask      uint32 // selects keyBits in an entry's extra field
	chainMask    uint32 // selects chainBits in an entry's extra field
}

// layout is the shape of one segment's tables. Every table has a directory
// on the first dirBits bits of its box and packs each entry into
// entryBytes little-endian bytes: the position (posBits) and the extraBits
// ring bits that follow the directory prefix — the rest of the box, then
// the start of the next box, which the pigeonring filter uses.
type layout struct {
	dirBits    uint
	posBits    uint
	extraBits  uint
	entryBytes uint // 4 or 5
	boxes      []box
}

func (l *layout) String() string {
	if l == nil {
		return "linear"
	}
	var w []string
	for _, b := range l.boxes {
		w = append(w, fmt.Sprint(b.width))
	}
	return fmt.Sprintf("%d boxes (%s bits), directory %d bits, %d-byte entries (%d+%d bits)",
		len(l.boxes), strings.Join(w, ","), l.dirBits, l.entryBytes, l.posBits, l.extraBits)
}

// newLayout splits the ring into m boxes (the wider ones first) for a
// segment of n hashes with a dirBits-bit directory and entries of
// entryBytes bytes; nil if the entry has too few spare bits to hold the
// rest of every box.
func newLayout(n, m int, dirBits, entryBytes uint) *layout {
	posBits := uint(bits.Len32(uint32(max(n-1, 1))))
	if m < 1 || m > 64 || (entryBytes != 4 && entryBytes != 5) ||
		posBits >= 8*entryBytes || dirBits > posBits || dirBits > maxDirBits {
		return nil // a key (prefix and extra bits) must fit an entry
	}
	l := &layout{dirBits: dirBits, posBits: posBits, entryBytes: entryBytes,
		extraBits: min(maxExtraBits, 8*entryBytes-posBits)}
	base, wide := 256/m, 256%m
	start := uint(0)
	for i := 0; i < m; i++ {
		w := uint(base)
		if i < wide {
			w++
		}
		if w < dirBits || w-dirBits > l.extraBits {
			return nil
		}
		l.boxes = append(l.boxes, box{start: start, width: w, keyBits: w - dirBits})
		start += w
	}
	for i := range l.boxes {
		b := &l.boxes[i]
		next := l.boxes[(i+1)%m].width
		b.chainBits = min(l.extraBits-b.keyBits, next)
		b.keyMask = uint32(1)<<b.keyBits - 1
		b.chainMask = (uint32(1)<<b.chainBits - 1) << b.keyBits
	}
	return l
}

// bytesPerHash is the memory of the tables per indexed hash.
func (l *layout) bytesPerHash(n int) float64 {
	m := float64(len(l.boxes))
	return m*float64(l.entryBytes) + m*dirBytes(l.dirBits)/float64(n)
}

// chooseLayout picks, among layouts whose tables fit in budget bytes per
// hash, the one with the least modelled cost for queries of radius r over
// n hashes; nil (linear scan) when nothing beats scanning. The search
// weighs hundreds of layouts, so its answer is cached for segments of
// similar size (same position bits), as merges build many of those.
func chooseLayout(n, r int, budget float64) *layout {
	if n < minTabled {
		return nil
	}
	key := layoutKey{bits.Len32(uint32(n - 1)), r, budget}
	if c, ok := layoutCache.Load(key); ok {
		c := c.(layoutChoice)
		if c.m == 0 {
			return nil
		}
		if l := newLayout(n, c.m, c.d, c.eb); l != nil && l.bytesPerHash(n) <= budget {
			return l
		}
	}
	l := searchLayout(n, r, budget)
	c := layoutChoice{}
	if l != nil {
		c = layoutChoice{len(l.boxes), l.dirBits, l.entryBytes}
	}
	layoutCache.Store(key, c)
	return l
}

type layoutKey struct {
	posBits, r int
	budget     float64
}

type layoutChoice struct {
	m     int
	d, eb uint
}

var layoutCache sync.Map // layoutKey -> layoutChoice

func searchLayout(n, r int, budget float64) *layout {
	var best *layout
	bestCost := linearCost(n)
	lg := bits.Len(uint(n))
	for _, eb := range []uint{4, 5} {
		for m := 4; m <= 32; m++ {
			for d := max(4, lg-10); d <= min(maxDirBits, lg+2); d++ {
				l := newLayout(n, m, uint(d), eb)
				if l == nil || l.bytesPerHash(n) > budget {
					continue
				}
				if c := makePlan(l, n, r).cost; c < bestCost {
					best, bestCost = l, c
				}
			}
		}
	}
	return best
}
