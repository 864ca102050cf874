package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/filehash"
	"github.com/havenproject/haven/internal/media"
)

// hashOptions are the flags of 'haven hash'.
type hashOptions struct {
	dihedral  bool
	format    string
	jobs      int
	filesFrom string
	maxPixels int64
	maxBytes  int64
	progress  string // auto, always, never
	videoFPS  float64
	noVideo   bool
}

func newHashCmd(s streams) *cobra.Command {
	var opt hashOptions
	cmd := &cobra.Command{
		Use:   "hash [flags] FILE|DIR|- ...",
		Short: "Compute PDQ hashes (and MD5, SHA-1, SHA-256) of images",
		Long: `Hash images with PDQ, bit-compatible with Meta's reference pdq-photo-hasher.

Directories are walked recursively. "-" reads one image from standard input;
--files-from reads file names, one per line ("-" for standard input).
Formats are recognised by content: JPEG, PNG, GIF (first frame), WebP, TIFF,
BMP, HEIC/HEIF and AVIF. Videos (MP4, QuickTime, Matroska/WebM, AVI, MPEG)
get vPDQ hashes: PDQ of frames sampled --video-fps times a second, decoded by
ffmpeg, as Meta's vpdq-hash-video computes them.

Output (standard output):
  text  hash,quality,path  as pdq-photo-hasher prints it; with --dihedral the
        eight hashes orig,rot90,rot180,rot270,flipx,flipy,flipp,flipm, then
        quality,path, as its --pdqdih-across does. A video gives one line per
        sampled frame, its path followed by the frame's time as a W3C media
        fragment: hash,quality,clip.mp4#t=12.000
  csv   a header line, then path, hashes, quality, format, size, and for
        video frames the frame number and time
  json  one JSON object per line, with md5, sha1 and sha256 as well, and a
        video's frames

Files that cannot be hashed are reported on standard error with the reason.
Exit status: 0 all hashed, 1 some failed, 2 usage error.`,
		Example: `  haven hash photos/
  haven hash --format json -j 4 seized/ > hashes.jsonl
  find . -name '*.jpg' | haven hash --files-from -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && opt.filesFrom == "" {
				return usageError{fmt.Errorf("hash: name at least one file or directory, or use --files-from")}
			}
			return runHash(cmd.Context(), opt, args, s)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opt.dihedral, "dihedral", false, "also print the hashes of the 8 rotations and flips")
	f.StringVar(&opt.format, "format", "text", "output format: text, csv or json")
	f.IntVarP(&opt.jobs, "jobs", "j", 0, "files hashed at once (default: one per CPU)")
	f.StringVar(&opt.filesFrom, "files-from", "", `read file names from this file, one per line ("-" for standard input)`)
	f.Int64Var(&opt.maxPixels, "max-pixels", media.DefaultLimits().MaxPixels, "refuse images with more pixels than this (decompression bombs)")
	f.Int64Var(&opt.maxBytes, "max-bytes", media.DefaultLimits().MaxBytes, "refuse files larger than this many bytes")
	f.Float64Var(&opt.videoFPS, "video-fps", 1, "video frames hashed per second (vPDQ); 0 hashes every frame")
	f.BoolVar(&opt.noVideo, "no-video", false, "do not hash videos")
	f.StringVar(&opt.progress, "progress", "auto", "progress line on standard error: auto (when a terminal), always or never")
	return cmd
}

func runHash(ctx context.Context, opt hashOptions, args []string, s streams) error {
	newWriter, ok := resultWriters[opt.format]
	if !ok {
		return usageError{fmt.Errorf("hash: unknown --format %q (want text, csv or json)", opt.format)}
	}
	if opt.videoFPS < 0 {
		return usageError{fmt.Errorf("hash: --video-fps must not be negative")}
	}
	if opt.jobs < 0 {
		return usageError{fmt.Errorf("hash: --jobs must be positive")}
	}
	if opt.filesFrom != "" {
		names, err := readNames(opt.filesFrom, s.in)
		if err != nil {
			return err
		}
		args = append(args, names...)
	}
	counters := new(filehash.Counters)
	runner := &filehash.Runner{
		Options: filehash.Options{
			Dihedral: opt.dihedral,
			Limits:   media.Limits{MaxPixels: opt.maxPixels, MaxBytes: opt.maxBytes},
			Video:    filehash.VideoOptions{Off: opt.noVideo, FPS: opt.videoFPS, EveryFrame: opt.videoFPS == 0},
		},
		Workers:  opt.jobs,
		Stdin:    s.in,
		Counters: counters,
	}
	out := bufio.NewWriter(s.out)
	w := newWriter(out, opt.dihedral)
	progress := startProgress(opt.progress, s.err, counters)
	start := time.Now()
	err := runner.Run(ctx, args, func(r filehash.Result) error {
		if r.Skipped {
			return nil
		}
		if r.Err != nil {
			progress.printf("haven: %s: %s\n", r.Path, fileError(hashedFile{err: r.Err, size: r.Size, sha256: r.SHA256, video: r.Format == "video"}))
		}
		if err := w.write(r); err != nil {
			return err
		}
		// Flush per result when interactive so that output appears as it
		// is made; buffered otherwise.
		if progress.interactive {
			return out.Flush()
		}
		return nil
	})
	progress.stop()
	if ferr := w.finish(); err == nil {
		err = ferr
	}
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	done, failed, skipped := counters.Done.Load(), counters.Failed.Load(), counters.Skipped.Load()
	fmt.Fprintf(s.err, "haven: hashed %d files, %d failed, %d skipped (not images or videos) in %s\n",
		done-failed-skipped, failed, skipped, time.Since(start).Round(time.Millisecond))
	if err != nil {
		return err
	}
	if failed > 0 {
		return errPartial
	}
	return nil
}

// readNames reads file names, one per line, skipping blank lines; from in
// when name is "-".
func readNames(name string, in io.Reader) ([]string, error) {
	r := in
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("--files-from: %w", err)
		}
		defer f.Close()
		r = f
	}
	var names []string
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if line := strings.TrimRight(sc.Text(), "\r"); line != "" {
			names = append(names, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--files-from %s: %w", name, err)
	}
	return names, nil
}
