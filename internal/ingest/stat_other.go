//go:build !linux

package ingest

import (
	"io/fs"
	"os"
	"time"
)

// fileStat is what the walk needs to know of a file on disk.
type fileStat struct {
	mode                       fs.FileMode // type bits only
	size                       int64
	mtime, atime, ctime, btime time.Time
	fi                         fs.FileInfo
}

// statPath reads a file's type, size and modification time; access and
// birth times are read on Linux only.
func statPath(path string, follow bool) (fileStat, error) {
	stat := os.Lstat
	if follow {
		stat = os.Stat
	}
	fi, err := stat(path)
	if err != nil {
		return fileStat{}, err
	}
	return fileStat{mode: fi.Mode().Type(), size: fi.Size(), mtime: fi.ModTime().UTC(), fi: fi}, nil
}

// sameFile reports whether two stats are of the same file.
func sameFile(a, b fileStat) bool { return a.fi != nil && b.fi != nil && os.SameFile(a.fi, b.fi) }
