package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// Separator joins the provenance path of an archive to the cleaned name of
// a member inside it: "seizure.zip!/photos/a.zip!/img001.jpg".
const Separator = "!/"

// Format names an archive or compression format recognised by content.
type Format string

// The formats the walk opens. Compressed tar is one container ("tar.gz"),
// not a tar inside a gzip stream.
const (
	FormatZip     Format = "zip"
	FormatTar     Format = "tar"
	Format7z      Format = "7z"
	FormatGzip    Format = "gzip"
	FormatBzip2   Format = "bzip2"
	FormatXz      Format = "xz"
	FormatZstd    Format = "zstd"
	FormatTarGzip Format = "tar.gz"
	FormatTarBz2  Format = "tar.bz2"
	FormatTarXz   Format = "tar.xz"
	FormatTarZstd Format = "tar.zst"
)

// Container is one archive in an item's chain of containers.
type Container struct {
	Path   string
	Format Format
}

// Item is one file found by a walk: a file on disk, a member of an archive,
// or (when Err is set) a problem to report.
//
// An Item may be handed to another goroutine; Open, ReadAll and Release may
// be called from any goroutine, Open and ReadAll concurrently and more than
// once. Every yielded Item must be released exactly when the caller is done
// with its bytes: archive members may hold buffered bytes that count against
// Limits.MemoryBudget and DiskBudget, and the walk waits when those are
// full. Release is idempotent and cheap for items that hold nothing.
type Item struct {
	// Path is the provenance path: the file's path on disk as found from
	// the input, then for each archive Separator and the member's cleaned
	// name (see doc.go). Paths are unique within a walk whose inputs do not
	// overlap, and the same in every walk of the same inputs.
	Path string
	// Name is the member's name as stored in its archive, not cleaned (it
	// may hold "../", backslashes, NUL); for a file on disk, its path.
	Name string
	// Containers are the archives the item is inside, outermost first;
	// empty for a file on disk.
	Containers []Container
	// Size is the size in bytes: actual for files and buffered entries,
	// declared by the archive for entries read on demand (zip), and for
	// problems the declared size when known.
	Size int64
	// Times from the file system or the archive entry; zero when the source
	// does not record them. Zip times without a zone are in UTC as stored.
	ModTime    time.Time
	AccessTime time.Time
	ChangeTime time.Time // inode change (Unix ctime), tar and file system only
	BirthTime  time.Time // creation
	// Format is set when the item is itself an archive or compressed stream;
	// its members follow it in the walk (unless a limit stops that).
	Format Format
	// Err, if set, is a *Problem and the item has no bytes.
	Err error

	src      source
	released atomic.Bool
}

// Depth is the number of archives the item is inside.
func (it *Item) Depth() int { return len(it.Containers) }

// Open returns a reader of the item's bytes. Read errors from damaged
// archive members are *Problem values (KindCorrupt, KindUnreadable).
func (it *Item) Open() (io.ReadCloser, error) {
	if it.Err != nil {
		return nil, it.Err
	}
	if it.released.Load() || it.src == nil {
		return nil, ErrReleased
	}
	rc, err := it.src.open()
	if err != nil {
		return nil, err
	}
	return &guardReader{rc: rc, path: it.Path, kind: it.src.readKind()}, nil
}

// ReadAll returns the item's bytes. For an entry held in memory it returns
// the buffer itself without copying: the caller must not modify it, nor use
// it after Release.
func (it *Item) ReadAll() ([]byte, error) {
	if s, ok := it.src.(spanSource); ok && it.Err == nil && !it.released.Load() {
		if b, ok := s.sp.bytes(); ok {
			return b, nil
		}
	}
	rc, err := it.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var buf bytes.Buffer
	if it.Size > 0 && it.Size < 1<<31 {
		buf.Grow(int(it.Size))
	}
	_, err = buf.ReadFrom(rc)
	return buf.Bytes(), err
}

// LocalPath returns the path of the file on disk that holds exactly the
// item's bytes, for tools that need a file name (ffmpeg); "" for archive
// members.
func (it *Item) LocalPath() string {
	if f, ok := it.src.(fileSource); ok {
		return string(f)
	}
	return ""
}

// Release frees the bytes the item holds. It is idempotent; the item cannot
// be opened afterwards.
func (it *Item) Release() {
	if it.released.Swap(true) {
		return
	}
	if it.src != nil {
		it.src.release()
	}
}

func (it *Item) String() string {
	if it.Err != nil {
		return fmt.Sprintf("%s (%v)", it.Path, it.Err)
	}
	return it.Path
}

// source is where an item's bytes come from.
type source interface {
	open() (io.ReadCloser, error)
	release()
	readKind() Kind // the Kind of Problem a read error becomes
}

// fileSource is a regular file on disk, opened anew for each reader.
type fileSource string

func (f fileSource) open() (io.ReadCloser, error) {
	fh, err := os.Open(string(f))
	if err != nil {
		return nil, &Problem{Kind: KindUnreadable, Path: string(f), Err: err}
	}
	return fh, nil
}
func (fileSource) release()       {}
func (fileSource) readKind() Kind { return KindUnreadable }

// spanSource is bytes held in shared storage (a stored member, a buffered
// entry).
type spanSource struct {
	sp   span
	kind Kind
}

func (s spanSource) open() (io.ReadCloser, error) { return io.NopCloser(s.sp.reader()), nil }
func (s spanSource) release()                     { s.sp.s.release() }
func (s spanSource) readKind() Kind               { return s.kind }

// zipSource is a compressed zip member decompressed on each Open, so that
// workers decompress members of one zip in parallel.
type zipSource struct {
	f    *zip.File
	hold *shared // the zip's storage
}

func (z zipSource) open() (io.ReadCloser, error) { return z.f.Open() }
func (z zipSource) release()                     { z.hold.release() }
func (zipSource) readKind() Kind                 { return KindCorrupt }

// guardReader turns read errors (and decoder panics) into Problems.
type guardReader struct {
	rc   io.ReadCloser
	path string
	kind Kind
}

func (g *guardReader) Read(p []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, &Problem{Kind: KindCorrupt, Path: g.path, Err: fmt.Errorf("decoder panic: %v", r)}
		}
	}()
	n, err = g.rc.Read(p)
	if err != nil && err != io.EOF {
		if _, ok := err.(*Problem); !ok {
			err = &Problem{Kind: g.kind, Path: g.path, Err: err}
		}
	}
	return n, err
}

func (g *guardReader) Close() error { return g.rc.Close() }
