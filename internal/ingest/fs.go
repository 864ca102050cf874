package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

var errLoop = errors.New("symbolic link loop")

// input walks one path named by the caller: a file or a directory (a
// symbolic link to either is followed).
func (w *walker) input(arg string) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	path := filepath.Clean(arg)
	st, err := statPath(path, true)
	if err != nil {
		return w.report(&Problem{Kind: KindUnreadable, Path: path, Err: err}, nil, nil)
	}
	switch {
	case st.mode.IsDir():
		return w.dir(path, []fileStat{st})
	case st.mode.IsRegular():
		return w.file(path, st)
	}
	return w.report(problemf(KindUnsupported, path, "not a regular file or directory (%v)", st.mode), nil, nil)
}

// dir walks a directory in lexical order. stack holds the directories
// being walked, itself last, to refuse loops.
func (w *walker) dir(path string, stack []fileStat) error {
	if w.skipTree(path) {
		return nil
	}
	ents, readErr := os.ReadDir(path)
	for _, e := range ents {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(path, e.Name())
		if err := w.dirEntry(p, e.Type(), stack); err != nil {
			return err
		}
	}
	if readErr != nil {
		return w.report(&Problem{Kind: KindUnreadable, Path: path, Err: readErr}, nil, nil)
	}
	return nil
}

func (w *walker) dirEntry(p string, typ fs.FileMode, stack []fileStat) error {
	follow := typ&fs.ModeSymlink != 0
	if follow && !w.opt.FollowSymlinks {
		w.sum.Ignored++
		return nil
	}
	if !follow && !typ.IsDir() && !typ.IsRegular() {
		w.sum.Ignored++ // device, pipe, socket: never opened
		return nil
	}
	st, err := statPath(p, follow)
	if err != nil {
		return w.report(&Problem{Kind: KindUnreadable, Path: p, Err: err}, nil, nil)
	}
	switch {
	case st.mode.IsDir():
		for _, a := range stack {
			if sameFile(a, st) {
				return w.report(&Problem{Kind: KindUnreadable, Path: p, Err: fmt.Errorf("%w: leads back to a directory being walked", errLoop)}, nil, nil)
			}
		}
		return w.dir(p, append(stack[:len(stack):len(stack)], st))
	case st.mode.IsRegular():
		return w.file(p, st)
	}
	w.sum.Ignored++
	return nil
}

// file walks a regular file on disk: its bytes are read from the file
// itself, by path, whenever the item is opened.
func (w *walker) file(path string, st fileStat) error {
	if w.skipTree(path) {
		return nil
	}
	if !w.canDescend() {
		if w.skip(path) {
			w.sum.Skipped++
			return nil
		}
		return w.emit(&Item{Path: path, Name: path, Size: st.size, src: fileSource(path),
			ModTime: st.mtime, AccessTime: st.atime, ChangeTime: st.ctime, BirthTime: st.btime})
	}
	f, err := os.Open(path)
	if err != nil {
		return w.report(&Problem{Kind: KindUnreadable, Path: path, Err: err}, nil, nil)
	}
	s := newReaderShared(f, st.size, f)
	defer s.drop()
	return w.top(path, whole(s), st, fileSource(path))
}
