package ingest

import (
	"errors"
	"fmt"
	"os"
)

const (
	kiB = 1 << 10
	miB = 1 << 20
	giB = 1 << 30
	tiB = 1 << 40
)

// Limits bound what a walk expands and holds. A zero field takes its default
// (so Limits{} behaves like DefaultLimits()); a negative field switches the
// limit off, except where its comment says otherwise. Sizes are in bytes.
//
// "Expanded" bytes are bytes produced by decompression: members of zip and
// 7z archives that are not stored, payloads of gzip, bzip2, xz and zstd
// streams, holes of sparse tar entries. Stored zip entries and tar members
// are slices of bytes already counted, so they expand nothing.
type Limits struct {
	// MaxDepth is how many archives deep the walk goes: members of a
	// top-level archive are at depth 1. An archive found at MaxDepth is
	// yielded but not opened. Negative: archives are never opened.
	// Default 5.
	MaxDepth int
	// MaxEntries is the most entries (files, directories, links) read from
	// one archive: the first MaxEntries of a tar or of a damaged zip are
	// processed; a zip or 7z whose directory declares more is not opened
	// (its directory alone would take memory in proportion). Default
	// 1,000,000.
	MaxEntries int64
	// MaxEntrySize is the largest entry read from an archive, by declared or
	// actual size. Default 16 GiB.
	MaxEntrySize int64
	// MaxArchiveExpanded is the most bytes expanded from one archive,
	// counting archives nested in it. Default 256 GiB.
	MaxArchiveExpanded int64
	// MaxTotalExpanded is the most bytes expanded over the whole walk.
	// Default 4 TiB.
	MaxTotalExpanded int64
	// MaxRatio is the largest expansion ratio, expanded bytes over the
	// archive's own size, allowed once an archive (or a single entry, by its
	// declared sizes) has expanded more than RatioFloor. Default 100.
	MaxRatio float64
	// RatioFloor is the expansion below which MaxRatio is not applied, so
	// that small highly compressible files pass. Default 32 MiB.
	RatioFloor int64
	// MaxWindow is the largest decoder window (xz dictionary, zstd window) a
	// compressed stream may ask for: the decoder allocates it up front.
	// Default 128 MiB (what xz -9 and zstd -22 need). Not switched off by a
	// negative value.
	MaxWindow int64
	// MemoryBudget is the most bytes of archive entries held in memory at
	// once, by the walk and by items not yet released; the walk waits for
	// releases when it is reached. Default 256 MiB. Not switched off.
	MemoryBudget int64
	// SpillThreshold: entries that must be buffered and are larger than this
	// go to a temporary file instead of memory. Default 16 MiB; at most
	// MemoryBudget. Not switched off.
	SpillThreshold int64
	// DiskBudget is the most bytes held in temporary files at once; the walk
	// waits for releases when it is reached. Default 16 GiB. Not switched off.
	DiskBudget int64
}

// DefaultLimits returns the limits used for zero fields.
func DefaultLimits() Limits {
	return Limits{
		MaxDepth:           5,
		MaxEntries:         1_000_000,
		MaxEntrySize:       16 * giB,
		MaxArchiveExpanded: 256 * giB,
		MaxTotalExpanded:   4 * tiB,
		MaxRatio:           100,
		RatioFloor:         32 * miB,
		MaxWindow:          128 * miB,
		MemoryBudget:       256 * miB,
		SpillThreshold:     16 * miB,
		DiskBudget:         16 * giB,
	}
}

const unlimited = int64(1<<63 - 1)

// normalized returns l with defaults filled in and switched-off limits set
// to the largest value, or an error for settings that cannot work.
func (l Limits) normalized() (Limits, error) {
	d := DefaultLimits()
	pick := func(v *int64, def int64) {
		switch {
		case *v == 0:
			*v = def
		case *v < 0:
			*v = unlimited
		}
	}
	if l.MaxDepth == 0 {
		l.MaxDepth = d.MaxDepth
	}
	pick(&l.MaxEntries, d.MaxEntries)
	pick(&l.MaxEntrySize, d.MaxEntrySize)
	pick(&l.MaxArchiveExpanded, d.MaxArchiveExpanded)
	pick(&l.MaxTotalExpanded, d.MaxTotalExpanded)
	pick(&l.RatioFloor, d.RatioFloor)
	switch {
	case l.MaxRatio == 0:
		l.MaxRatio = d.MaxRatio
	case l.MaxRatio < 0:
		l.MaxRatio = 0 // 0 after normalizing means off
	}
	for _, f := range []struct {
		v   *int64
		def int64
	}{{&l.MaxWindow, d.MaxWindow}, {&l.MemoryBudget, d.MemoryBudget}, {&l.SpillThreshold, d.SpillThreshold}, {&l.DiskBudget, d.DiskBudget}} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	if l.SpillThreshold > l.MemoryBudget {
		return l, fmt.Errorf("ingest: SpillThreshold %d exceeds MemoryBudget %d", l.SpillThreshold, l.MemoryBudget)
	}
	return l, nil
}

// Options configure a walk.
type Options struct {
	Limits Limits
	// TempDir holds the temporary files of spilled entries; "" means
	// os.TempDir(). They hold seized material: put it on the volume meant
	// for it. On Unix each file is unlinked as soon as it is created, so
	// nothing is left behind by a crash.
	TempDir string
	// FollowSymlinks follows symbolic links found inside directories (links
	// named as inputs are always followed). A link to a directory that is
	// already being walked (a loop) is reported, not followed.
	FollowSymlinks bool
	// Skip, if set, is asked for each file or entry's provenance path before
	// its bytes are read; true means it is not yielded. An archive skipped
	// this way is still opened and its members asked in turn.
	Skip func(path string) bool
	// SkipTree, if set, is asked before Skip; true means neither the file
	// or directory nor anything inside it is yielded or read.
	SkipTree func(path string) bool
}

func (o Options) tempDir() string {
	if o.TempDir != "" {
		return o.TempDir
	}
	return os.TempDir()
}

var errNoYield = errors.New("ingest: nil yield function")
