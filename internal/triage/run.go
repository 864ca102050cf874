package triage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/ingest"
	"github.com/havenproject/haven/internal/media"
	"github.com/havenproject/haven/internal/store"
)

// Options configure a triage.
type Options struct {
	Inputs  []string
	OutDir  string
	Store   *store.DB // nil: no banks and no cross-case links
	Hashes  []string  // hash-list files to match against
	Case    string
	Seizure string
	Resume  bool
	Workers int // 0: one per CPU
	Ingest  ingest.Limits
	Media   media.Limits
	// NearRadius is the PDQ distance within which two files of the seizure
	// are near-duplicates (default 31).
	NearRadius int
	Counters   *Counters
	// Stages, when set, counts the time spent in each stage.
	Stages *Stages
	// Org is the organisation running the triage: only banks it may match
	// against are used (bank.SourceOrg or SharedWith names it). Empty: every
	// bank of the store, as a single-user offline tool.
	Org string
	// Video says how videos are hashed (frames per second; off).
	Video VideoOptions
	Now   func() time.Time // for "recent capture"; default time.Now
}

// Counters are the live progress of a run, readable from another goroutine.
type Counters struct {
	Found, FoundBytes atomic.Int64 // files the walk has yielded
	Done, DoneBytes   atomic.Int64 // files described (this run or resumed)
	Resumed           atomic.Int64 // files taken from the journal
	Duplicates        atomic.Int64 // files whose content was described before in this run (not decoded again)
	WalkDone          atomic.Bool
}

// Run triages opt.Inputs into opt.OutDir. The caller writes the reports
// from the Result and closes it.
func Run(ctx context.Context, opt Options) (*Result, error) {
	if opt.Counters == nil {
		opt.Counters = new(Counters)
	}
	if opt.NearRadius <= 0 {
		opt.NearRadius = 31
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if err := os.MkdirAll(filepath.Join(opt.OutDir, "thumbs"), 0o700); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	jpath := filepath.Join(opt.OutDir, JournalName)
	if _, err := os.Stat(jpath); err == nil && !opt.Resume {
		return nil, fmt.Errorf("%s: %w", opt.OutDir, ErrExists)
	}
	done, err := readJournal(jpath)
	if err != nil {
		return nil, err
	}
	opt.Counters.Resumed.Store(int64(len(done)))
	var svc *bank.Service
	if opt.Store != nil {
		svc = bank.NewService(opt.Store)
	}
	m, err := NewMatcher(ctx, svc, opt.Org)
	if err != nil {
		return nil, err
	}
	for _, h := range opt.Hashes {
		if _, err := m.LoadFile(h); err != nil {
			return nil, err
		}
	}
	thumbs, err := filepath.Abs(filepath.Join(opt.OutDir, "thumbs"))
	if err != nil {
		return nil, err
	}
	a := &analyzer{m: m, limits: opt.Media, thumbDir: thumbs, stages: opt.Stages, video: opt.Video, counters: opt.Counters}
	sum, err := describeAll(ctx, opt, a, done)
	if err != nil {
		return nil, err
	}
	done = nil // the journal has every record now
	t := time.Now()
	s, err := openSpill(ctx, filepath.Join(opt.OutDir, SpillName))
	if err != nil {
		return nil, err
	}
	res := &Result{Case: opt.Case, Seizure: opt.Seizure, Archives: sum.Archives, Resumed: opt.Counters.Resumed.Load(), s: s}
	if res.Counts, res.NFiles, err = s.load(ctx, jpath); err != nil {
		res.Close()
		return nil, err
	}
	opt.Stages.add(StageSpill, t)
	if err := analyse(ctx, s, opt, res); err != nil {
		res.Close()
		return nil, err
	}
	return res, nil
}

// testHookAfterFile, when set by a test, runs after each file is described
// (the kill-and-resume test slows the run down with it).
var testHookAfterFile func()

// describeAll walks the inputs, describes every file not in done on a pool
// of workers, and journals each; done gains every file described.
func describeAll(ctx context.Context, opt Options, a *analyzer, done map[recordKey]struct{}) (ingest.Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	j, err := openJournal(filepath.Join(opt.OutDir, JournalName))
	if err != nil {
		return ingest.Summary{}, err
	}
	if a.dups, err = openDupCache(filepath.Join(opt.OutDir, JournalName)); err != nil {
		j.close()
		return ingest.Summary{}, fmt.Errorf("journal: %w", err)
	}
	defer a.dups.close()
	j.dups = a.dups
	workers := opt.Workers
	if workers <= 0 {
		workers = max(1, runtime.NumCPU())
	}
	items := make(chan *ingest.Item, workers)
	results := make(chan File, workers*2)
	var errOnce sync.Once
	var firstErr error
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				f, err := a.item(ctx, it)
				it.Release()
				if testHookAfterFile != nil {
					testHookAfterFile()
				}
				if err != nil {
					fail(err)
					continue
				}
				select {
				case results <- f:
				case <-ctx.Done():
				}
			}
		}()
	}
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for f := range results {
			t := time.Now()
			if err := j.add(&f); err != nil {
				fail(err)
				continue
			}
			opt.Stages.add(StageJournal, t)
			opt.Counters.Done.Add(1)
			opt.Counters.DoneBytes.Add(f.Size)
		}
	}()
	// done holds 16-byte keys of the journaled records; walk problems and
	// archives join it as they are met, so nothing is recorded twice.
	skip := func(k string) bool { _, ok := done[keyOf(k)]; return ok }
	sum, werr := ingest.Walk(ctx, opt.Inputs, ingest.Options{Limits: opt.Ingest, Skip: skip},
		func(it *ingest.Item) error {
			if it.Err != nil || it.Format != "" {
				// Problems and archives are recorded without reading bytes
				// (an archive's members are the files); Skip is not asked
				// about problems, so they are keyed apart.
				f := containerFile(it)
				if skip(f.key()) {
					it.Release()
					return nil
				}
				done[keyOf(f.key())] = struct{}{}
				it.Release()
				select {
				case results <- f:
				case <-ctx.Done():
					return ctx.Err()
				}
				return nil
			}
			opt.Counters.Found.Add(1)
			opt.Counters.FoundBytes.Add(it.Size)
			select {
			case items <- it:
				return nil
			case <-ctx.Done():
				it.Release()
				return ctx.Err()
			}
		})
	opt.Counters.WalkDone.Store(true)
	close(items)
	wg.Wait()
	close(results)
	<-writerDone
	if cerr := j.close(); firstErr == nil && cerr != nil {
		firstErr = cerr
	}
	if firstErr != nil {
		return sum, firstErr
	}
	if werr != nil {
		return sum, fmt.Errorf("walk: %w", werr)
	}
	return sum, ctx.Err()
}
