package ingest

import (
	"io/fs"
	"time"

	"golang.org/x/sys/unix"
)

// fileStat is what the walk needs to know of a file on disk.
type fileStat struct {
	mode                       fs.FileMode // type bits only
	size                       int64
	mtime, atime, ctime, btime time.Time
	dev, ino                   uint64
}

// statPath reads a file's type, size and times with one statx call, which
// also gives the birth time where the file system keeps one.
func statPath(path string, follow bool) (fileStat, error) {
	flags := unix.AT_STATX_SYNC_AS_STAT
	if !follow {
		flags |= unix.AT_SYMLINK_NOFOLLOW
	}
	var sx unix.Statx_t
	if err := unix.Statx(unix.AT_FDCWD, path, flags, unix.STATX_BASIC_STATS|unix.STATX_BTIME, &sx); err != nil {
		return fileStat{}, &fs.PathError{Op: "statx", Path: path, Err: err}
	}
	st := fileStat{
		size:  int64(sx.Size),
		mtime: statxTime(sx.Mtime), atime: statxTime(sx.Atime), ctime: statxTime(sx.Ctime),
		dev: uint64(sx.Dev_major)<<32 | uint64(sx.Dev_minor), ino: sx.Ino,
	}
	if sx.Mask&unix.STATX_BTIME != 0 {
		st.btime = statxTime(sx.Btime)
	}
	switch sx.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		st.mode = fs.ModeDir
	case unix.S_IFLNK:
		st.mode = fs.ModeSymlink
	case unix.S_IFREG:
	case unix.S_IFIFO:
		st.mode = fs.ModeNamedPipe
	case unix.S_IFSOCK:
		st.mode = fs.ModeSocket
	default:
		st.mode = fs.ModeDevice
	}
	return st, nil
}

func statxTime(t unix.StatxTimestamp) time.Time {
	return time.Unix(t.Sec, int64(t.Nsec)).UTC()
}

// sameFile reports whether two stats are of the same file.
func sameFile(a, b fileStat) bool { return a.dev == b.dev && a.ino == b.ino }
