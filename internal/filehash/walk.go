package filehash

import (
	"context"
	"io/fs"
	"path/filepath"
)

// Stdin is the input name that stands for standard input.
const Stdin = "-"

// Input is one file to hash, found on the command line or in a directory.
// Err is set when the input could not even be listed (a missing path, an
// unreadable directory); it is reported like any other failure.
type Input struct {
	Path string
	Err  error
	// Explicit is set for inputs named on the command line rather than
	// found in a directory: those must be images.
	Explicit bool
}

// Expand lists the files that the command-line arguments name, in order:
// files as given, directories walked recursively in lexical order (symbolic
// links to directories are not followed, so a link loop cannot trap the
// walk), and "-" for standard input. It stops early when yield returns false
// or ctx is done.
func Expand(ctx context.Context, args []string, yield func(Input) bool) error {
	for _, arg := range args {
		if arg == Stdin {
			if !yield(Input{Path: Stdin, Explicit: true}) {
				return nil
			}
			continue
		}
		stop := false
		err := filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			if err != nil {
				// Report and carry on: one unreadable folder must not hide
				// the rest of a seizure.
				if !yield(Input{Path: path, Err: err, Explicit: path == arg}) {
					stop = true
					return filepath.SkipAll
				}
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if !yield(Input{Path: path, Explicit: path == arg}) {
				stop = true
				return filepath.SkipAll
			}
			return nil
		})
		if err != nil {
			return err
		}
		if stop {
			return nil
		}
	}
	return ctx.Err()
}
