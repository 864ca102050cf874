package ingest

import (
	"context"
	"errors"
	"io"
	"time"
)

// entry is one member of an archive as its reader describes it. Its bytes
// are in exactly one of sp (stored), stream (read now or never) or lazy
// (opened on demand).
type entry struct {
	raw                        string
	size                       int64 // declared; -1 when unknown
	mod, access, change, birth time.Time
	sp                         *span
	stream                     io.Reader
	lazy                       *lazyEntry
	err                        *Problem // a problem known from the header; Path is filled in
	// independent: damage to this entry's bytes does not affect the entries
	// after it (their positions are known), so the archive goes on.
	independent bool
}

func (e *entry) item(path string, chain []Container) *Item {
	return &Item{
		Path: path, Name: e.raw, Containers: chain, Size: e.size,
		ModTime: e.mod, AccessTime: e.access, ChangeTime: e.change, BirthTime: e.birth,
	}
}

func (w *walker) canDescend() bool { return w.lim.MaxDepth >= 0 }

// member yields one archive member and walks into it if it is an archive.
// It returns only fatal errors (ctx, yield); problems are reported.
func (w *walker) member(n *node, e entry) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	path := n.memberPath(e.raw)
	if w.skipTree(path) {
		return nil
	}
	it := e.item(path, n.chain)
	if e.err != nil {
		e.err.Path = path
		return w.report(e.err, n.chain, it)
	}
	if e.size > w.lim.MaxEntrySize {
		return w.report(limitProblem(path, "MaxEntrySize", "entry of %d bytes", e.size), n.chain, it)
	}
	skip := w.skip(path)
	sp, held, done, err := w.memberBytes(n, &e, it, skip)
	if done || err != nil {
		return err
	}
	if held != nil {
		defer held.drop()
	}
	if w.canDescend() {
		it.Format = w.identify(sp)
	}
	if skip {
		w.sum.Skipped++
	} else {
		sp.s.retain()
		it.src = spanSource{sp: sp, kind: KindCorrupt}
		if err := w.emit(it); err != nil {
			return err
		}
	}
	if it.Format != "" {
		return w.descend(n, path, it.Format, sp, it)
	}
	return nil
}

// memberBytes gets a member's bytes into a span: in place when stored,
// else buffered (held, pinned for the walker until dropped). done means the
// member was dealt with already: yielded to be read on demand, skipped, or
// reported.
func (w *walker) memberBytes(n *node, e *entry, it *Item, skip bool) (sp span, held *shared, done bool, err error) {
	switch {
	case e.sp != nil:
		return *e.sp, nil, false, nil
	case e.lazy != nil:
		done, stored, rc, err := w.lazyMember(n, e.lazy, it, skip)
		if done || err != nil {
			return span{}, nil, true, err
		}
		if rc == nil {
			return *stored, nil, false, nil
		}
		defer rc.Close()
		e.stream = rc
	}
	sequential := e.lazy == nil && !e.independent
	stream := e.stream
	if skip {
		head, rest, err := peek(stream)
		if err != nil {
			return span{}, nil, true, w.streamFailed(n, it, err, sequential)
		}
		if !w.canDescend() || sniff(head) == "" {
			w.sum.Skipped++
			return span{}, nil, true, nil
		}
		stream = rest
	}
	s, err := w.buffer(stream, e.size, it.Path)
	if err != nil {
		return span{}, nil, true, w.streamFailed(n, it, err, sequential)
	}
	it.Size = s.size
	return whole(s), s, false, nil
}

// streamFailed reports an entry whose bytes could not be read. A limit
// problem is reported as it is; anything else is damage, which ends a
// sequential archive (its stream cannot be trusted past it).
func (w *walker) streamFailed(n *node, it *Item, err error, sequential bool) error {
	if isFatal(w.ctx, err) {
		return err
	}
	var p *Problem
	if !errors.As(err, &p) {
		p = asProblem(err, it.Path)
		if sequential && p.Kind == KindCorrupt {
			n.acct.broken = true
		}
	}
	return w.report(p, n.chain, it)
}

// isFatal tells errors that end the walk from problems of the input.
func isFatal(ctx context.Context, err error) bool {
	var ye yieldError
	return errors.As(err, &ye) || (ctx.Err() != nil && errors.Is(err, ctx.Err()))
}

// peek returns the first bytes of r and a reader of all of r.
func peek(r io.Reader) ([]byte, io.Reader, error) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, nil, err
	}
	head = head[:n]
	return head, io.MultiReader(byteReader(head), r), nil
}
