package triage

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/store"
)

// The kill-and-resume test re-runs this test binary as a child that triages
// slowly, kills it with SIGKILL once its journal holds some files, resumes
// in-process, and checks the result against an uninterrupted run: every
// file once, nothing hashed twice.
const envChild = "HAVEN_TRIAGE_RESUME_CHILD"

func TestKillAndResume(t *testing.T) {
	if os.Getenv(envChild) != "" {
		resumeChild(t)
		return
	}
	fx := newFixture(t)
	for i := range 150 {
		writeFile(t, filepath.Join(fx.dir, "bulk", fmt.Sprintf("%03d.jpg", i)), encodeJPEG(t, testImage(uint64(100+i), 64, 48), 80))
	}
	out := t.TempDir()

	cmd := exec.Command(os.Args[0], "-test.run=^TestKillAndResume$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChild+"=1", "TRIAGE_DIR="+fx.dir, "TRIAGE_DB="+fx.data, "TRIAGE_OUT="+out)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(out, JournalName)
	for lines := 0; lines < 40; lines = countLines(journal) {
		if cmd.ProcessState != nil {
			t.Fatal("child finished before it could be killed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	before := countLines(journal)
	t.Logf("killed with %d journal lines", before)

	opt := fx.options(out)
	opt.Resume = true
	opt.Counters = new(Counters)
	res, err := RunCollected(t, context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	full, err := RunCollected(t, context.Background(), fx.options(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != len(full.Files) {
		t.Fatalf("resumed run has %d files, uninterrupted %d", len(res.Files), len(full.Files))
	}
	for i, f := range res.Files {
		g := full.Files[i]
		if f.Path != g.Path || f.Verdict != g.Verdict || f.SHA256 != g.SHA256 || f.PDQ != g.PDQ {
			t.Errorf("file %d: resumed %s %s, uninterrupted %s %s", i, f.Path, f.Verdict, g.Path, g.Verdict)
		}
	}
	resumed, done := opt.Counters.Resumed.Load(), opt.Counters.Done.Load()
	if resumed == 0 || resumed+done != int64(len(full.Files)) {
		t.Errorf("resumed %d + described %d, want %d in all with some resumed", resumed, done, len(full.Files))
	}
	if n := countLines(journal); n != len(full.Files) {
		t.Errorf("journal has %d lines for %d files", n, len(full.Files))
	}
	if seen := journalPaths(t, journal); len(seen) != len(full.Files) {
		t.Errorf("journal holds %d distinct paths for %d files", len(seen), len(full.Files))
	}
	if len(res.ReviewOrder) != len(full.ReviewOrder) {
		t.Errorf("review order %d, want %d", len(res.ReviewOrder), len(full.ReviewOrder))
	}
}

// resumeChild is the process that gets killed: one worker, slowed down.
func resumeChild(t *testing.T) {
	db, err := store.Open(context.Background(), os.Getenv("TRIAGE_DB"))
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{dir: os.Getenv("TRIAGE_DIR"), db: db}
	opt := fx.options(os.Getenv("TRIAGE_OUT"))
	opt.Workers = 1
	testHookAfterFile = func() { time.Sleep(15 * time.Millisecond) }
	Run(context.Background(), opt)
	t.Fatal("child was not killed")
}

func countLines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		n++
	}
	return n
}

func journalPaths(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec File
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("journal line: %v", err)
		}
		seen[rec.Path]++
		if seen[rec.Path] > 1 {
			t.Errorf("%s journaled %d times", rec.Path, seen[rec.Path])
		}
	}
	return seen
}
