package filehash

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/havenproject/haven/internal/media"
)

// Counters are the live progress of a run, safe to read from another
// goroutine while it goes on (a terminal progress line, a job status).
type Counters struct {
	Found  atomic.Int64 // inputs listed so far
	Done   atomic.Int64 // inputs finished, hashed or failed
	Failed atomic.Int64
	// Skipped counts files found in directories that are not images and do
	// not claim to be (a README beside the photos).
	Skipped atomic.Int64
	Bytes   atomic.Int64 // bytes of the inputs finished
}

// Runner hashes inputs on a bounded pool of workers.
type Runner struct {
	Options Options
	// Workers is the number of inputs hashed at once; 0 means one per CPU.
	Workers int
	// Stdin is read for the input "-".
	Stdin io.Reader
	// Counters, if set, is updated as the run goes.
	Counters *Counters
}

// Run hashes every input that Expand finds in args and calls emit with each
// result in input order, from one goroutine. Memory stays bounded whatever
// the number of inputs: at most a few results per worker wait to be emitted.
// Run returns the first error from emit or from ctx; failures of single
// inputs are results, not errors.
func (r *Runner) Run(ctx context.Context, args []string, emit func(Result) error) error {
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	counters := r.Counters
	if counters == nil {
		counters = new(Counters)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type job struct {
		in  Input
		out chan Result // buffered, receives exactly one result
	}
	jobs := make(chan job)
	// order carries each job's result slot to the emitter in input order;
	// its capacity bounds how far the workers may run ahead of the output.
	order := make(chan chan Result, 2*workers)

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.out <- r.hash(ctx, j.in)
			}
		}()
	}

	var walkErr error
	go func() {
		defer close(order)
		defer close(jobs)
		walkErr = Expand(ctx, args, func(in Input) bool {
			counters.Found.Add(1)
			j := job{in: in, out: make(chan Result, 1)}
			select {
			case order <- j.out:
			case <-ctx.Done():
				return false
			}
			select {
			case jobs <- j:
				return true
			case <-ctx.Done():
				j.out <- Result{Path: in.Path, Err: ctx.Err()}
				return false
			}
		})
	}()

	var emitErr error
	for slot := range order {
		res := <-slot
		counters.Done.Add(1)
		counters.Bytes.Add(res.Size)
		switch {
		case res.Skipped:
			counters.Skipped.Add(1)
		case res.Err != nil:
			counters.Failed.Add(1)
		}
		if emitErr == nil {
			if emitErr = emit(res); emitErr != nil {
				cancel()
			}
		}
	}
	wg.Wait()
	if emitErr != nil {
		return emitErr
	}
	if walkErr != nil {
		return walkErr
	}
	return ctx.Err()
}

func (r *Runner) hash(ctx context.Context, in Input) Result {
	var res Result
	switch {
	case in.Err != nil:
		return Result{Path: in.Path, Err: in.Err}
	case in.Path == Stdin && r.Stdin != nil:
		res = Reader(ctx, in.Path, r.Stdin, r.Options)
	default:
		res = File(ctx, in.Path, r.Options)
	}
	// A file met while walking a folder that neither is nor claims to be
	// an image or video is not a failure; a ".jpg" that holds text is.
	res.Skipped = !in.Explicit && errors.Is(res.Err, media.ErrUnknownFormat) && !mediaName(in.Path)
	return res
}

// mediaName reports whether a file name claims an image or video type.
func mediaName(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp", ".dib",
		".heic", ".heif", ".hif", ".avif",
		".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".ts", ".3gp", ".wmv", ".flv":
		return true
	}
	return false
}
