package ingest

import (
	"context"
	"errors"
	"io"
)

// Summary counts what a walk found.
type Summary struct {
	Files    int64 // items yielded with bytes, archives included
	Bytes    int64 // their sizes added up
	Archives int64 // archives and compressed streams opened
	Skipped  int64 // files and entries passed over by Skip or SkipTree
	// Ignored counts directory entries and archive entries that are not
	// regular files: directories in archives, symbolic and hard links,
	// devices, pipes, sockets.
	Ignored int64
	// Problems counts problem items by kind; errors met later by whoever
	// reads an item (a damaged zip member) are not in it.
	Problems map[Kind]int64
	Expanded int64 // bytes decompressed from archives
	// PeakMemory and PeakDisk are the most bytes of entries held at once in
	// memory and in temporary files.
	PeakMemory, PeakDisk int64
}

// Walk yields every file in inputs (files and directories on disk) and,
// recursively, every member of the archives among them, in a deterministic
// order: inputs in the order given, directory entries in lexical order,
// archive members in archive order, each archive just before its members.
//
// yield is called from the calling goroutine, one item at a time; the items
// may be handed to other goroutines (see Item for their contract). Problems
// (limits, damage, encryption, unreadable files) are yielded as items with
// Err set and the walk goes on. Walk returns when the inputs are exhausted,
// ctx is done (ctx.Err()) or yield returns an error (that error); items
// yielded before then stay valid until released. Skip is not asked about
// problem items, so a resumed walk reports the same problems again: key
// them by Path and Kind.
func Walk(ctx context.Context, inputs []string, opt Options, yield func(*Item) error) (Summary, error) {
	w, err := newWalker(ctx, opt, yield)
	if err != nil {
		return Summary{}, err
	}
	for _, in := range inputs {
		if err := w.input(in); err != nil {
			return w.summary(), unwrapYield(err)
		}
	}
	return w.summary(), ctx.Err()
}

// readerAt walks the bytes of ra as an input named name.
func (w *walker) readerAt(name string, ra io.ReaderAt, size int64) error {
	if w.skipTree(name) {
		return nil
	}
	s := newReaderShared(ra, size, nil)
	defer s.drop()
	return w.top(name, whole(s), fileStat{size: size}, nil)
}

// WalkReaderAt walks bytes the caller holds (an upload) as if they were a
// file named name. ra must stay readable until every item is released.
func WalkReaderAt(ctx context.Context, name string, ra io.ReaderAt, size int64, opt Options, yield func(*Item) error) (Summary, error) {
	w, err := newWalker(ctx, opt, yield)
	if err != nil {
		return Summary{}, err
	}
	if err := w.readerAt(name, ra, size); err != nil {
		return w.summary(), unwrapYield(err)
	}
	return w.summary(), ctx.Err()
}

type walker struct {
	ctx       context.Context
	opt       Options
	lim       Limits
	yieldFn   func(*Item) error
	mem, disk *budget
	sum       Summary
	totalStop *Problem
	inYield   bool
}

func newWalker(ctx context.Context, opt Options, yield func(*Item) error) (*walker, error) {
	if yield == nil {
		return nil, errNoYield
	}
	lim, err := opt.Limits.normalized()
	if err != nil {
		return nil, err
	}
	return &walker{
		ctx: ctx, opt: opt, lim: lim, yieldFn: yield,
		mem: newBudget(lim.MemoryBudget), disk: newBudget(lim.DiskBudget),
		sum: Summary{Problems: map[Kind]int64{}},
	}, nil
}

func (w *walker) summary() Summary {
	s := w.sum
	_, _, s.PeakMemory = w.mem.state()
	_, _, s.PeakDisk = w.disk.state()
	return s
}

// yieldError carries the caller's error out of the walk untouched, so that
// it is never taken for a problem of the input.
type yieldError struct{ err error }

func (e yieldError) Error() string { return e.err.Error() }

func unwrapYield(err error) error {
	var ye yieldError
	if errors.As(err, &ye) {
		return ye.err
	}
	return err
}

// emit yields an item with bytes.
func (w *walker) emit(it *Item) error {
	w.sum.Files++
	w.sum.Bytes += it.Size
	return w.call(it)
}

func (w *walker) call(it *Item) error {
	w.inYield = true
	err := w.yieldFn(it)
	w.inYield = false
	if err != nil {
		return yieldError{err}
	}
	return nil
}

// report yields a problem item for p, inside the given containers (trimmed
// to those enclosing p.Path when p is about one of them).
func (w *walker) report(p *Problem, chain []Container, meta *Item) error {
	for i, c := range chain {
		if c.Path == p.Path {
			chain = chain[:i]
			break
		}
	}
	it := &Item{Path: p.Path, Name: p.Path, Containers: chain, Err: p}
	if meta != nil && meta.Path == p.Path {
		it.Name, it.Size = meta.Name, meta.Size
		it.ModTime, it.AccessTime, it.ChangeTime, it.BirthTime = meta.ModTime, meta.AccessTime, meta.ChangeTime, meta.BirthTime
	}
	w.sum.Problems[p.Kind]++
	return w.call(it)
}

func (w *walker) skipTree(path string) bool {
	if w.opt.SkipTree != nil && w.opt.SkipTree(path) {
		w.sum.Skipped++
		return true
	}
	return false
}

func (w *walker) skip(path string) bool { return w.opt.Skip != nil && w.opt.Skip(path) }

// node is an archive being walked.
type node struct {
	path   string
	format Format
	chain  []Container // the containers of its members, itself last
	acct   *acct
	names  nameSet
}

func (n *node) halted() bool { return n.acct.halted() }

// memberPath cleans a member name and makes it unique in the archive.
func (n *node) memberPath(raw string) string {
	return n.path + Separator + n.names.unique(cleanName(raw))
}

// descend opens the archive at path, stored in sp, and walks its members.
// parent is the archive it is in, nil for an input.
func (w *walker) descend(parent *node, path string, f Format, sp span, meta *Item) error {
	var chain []Container
	var pacct *acct
	if parent != nil {
		chain, pacct = parent.chain, parent.acct
	}
	if len(chain)+1 > w.lim.MaxDepth {
		return w.report(limitProblem(path, "MaxDepth", "archive nested more than %d deep not opened", w.lim.MaxDepth), chain, meta)
	}
	if w.totalStop != nil {
		return w.report(limitProblem(path, "MaxTotalExpanded", "archive not opened: %v", w.totalStop.Err), chain, meta)
	}
	n := &node{
		path: path, format: f,
		chain: append(chain[:len(chain):len(chain)], Container{Path: path, Format: f}),
		acct:  &acct{parent: pacct, path: path, size: sp.n},
		names: nameSet{},
	}
	w.sum.Archives++
	err := w.guard(n, func() error {
		switch f {
		case FormatZip:
			return w.zip(n, sp)
		case FormatTar:
			return w.tarAt(n, sp)
		case Format7z:
			return w.sevenZip(n, sp)
		default:
			return w.compressed(n, sp)
		}
	})
	return err
}

// guard turns a panic of a third-party decoder into a corrupt-archive
// problem; panics of the caller's yield function go on up.
func (w *walker) guard(n *node, walk func() error) (err error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if w.inYield {
			panic(r)
		}
		n.acct.broken = true
		err = w.report(problemf(KindCorrupt, n.path, "decoder panic: %v", r), n.chain, nil)
	}()
	return walk()
}

// top walks one input stored in sp: yields it, and walks into it if it is
// an archive. src is how the item's bytes are read (nil: from sp).
// The caller has asked SkipTree.
func (w *walker) top(path string, sp span, st fileStat, src source) error {
	it := &Item{Path: path, Name: path, Size: sp.n,
		ModTime: st.mtime, AccessTime: st.atime, ChangeTime: st.ctime, BirthTime: st.btime}
	if w.canDescend() {
		head, err := sp.head(sniffLen)
		if err != nil {
			return w.report(&Problem{Kind: KindUnreadable, Path: path, Err: err}, nil, it)
		}
		if sniff(head) != "" {
			it.Format = w.identify(sp)
		}
	}
	if w.skip(path) {
		w.sum.Skipped++
	} else {
		if src == nil {
			sp.s.retain()
			src = spanSource{sp: sp, kind: KindUnreadable}
		}
		it.src = src
		if err := w.emit(it); err != nil {
			return err
		}
	}
	if it.Format != "" {
		return w.descend(nil, path, it.Format, sp, it)
	}
	return nil
}

func (f Format) String() string {
	if f == "" {
		return "file"
	}
	return string(f)
}
