package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/havenproject/haven/internal/filehash"
)

// progressLine redraws one status line on a terminal while a run goes on.
// It reads the run's counters; it does not own them.
type progressLine struct {
	interactive bool
	w           io.Writer
	mu          sync.Mutex
	done        chan struct{}
	wg          sync.WaitGroup
}

// startProgress starts the line when mode asks for it ("auto": only when w
// is a terminal).
func startProgress(mode string, w io.Writer, c *filehash.Counters) *progressLine {
	p := &progressLine{w: w, done: make(chan struct{})}
	switch mode {
	case "always":
		p.interactive = true
	case "auto":
		p.interactive = isTerminal(w)
	}
	if !p.interactive {
		return p
	}
	start := time.Now()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				p.draw(c, time.Since(start))
			}
		}
	}()
	return p
}

func (p *progressLine) draw(c *filehash.Counters, elapsed time.Duration) {
	done, found, failed := c.Done.Load(), c.Found.Load(), c.Failed.Load()
	rate := float64(done) / elapsed.Seconds()
	mb := float64(c.Bytes.Load()) / 1e6
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\033[K%d/%d files, %d failed, %.1f MB, %.0f files/s", done, found, failed, mb, rate)
}

// printf prints a message, erasing the progress line first so that the two
// do not mix; the line is redrawn at the next tick.
func (p *progressLine) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.interactive {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, format, args...)
}

func (p *progressLine) stop() {
	if !p.interactive {
		return
	}
	close(p.done)
	p.wg.Wait()
	p.printf("")
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
