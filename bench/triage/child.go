package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/havenproject/haven/bench/internal/machine"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/triage"
	"github.com/havenproject/haven/internal/triage/report"
)

// job is one measured triage, run in a child process so that its peak
// resident memory (VmHWM) is its own.
type job struct {
	Input, Out, Data string
	Workers          int
}

// result is what a child reports.
type result struct {
	Files, Bytes      int64
	Media, Groups     int
	Wall, User, Sys   float64 // seconds
	Stages            map[string]float64
	VmHWM             uint64 // bytes
	LoadBefore, After string
}

// runChild triages j.Input into j.Out and prints a result as JSON.
func runChild(ctx context.Context, spec string, stdout io.Writer) error {
	var j job
	if err := json.Unmarshal([]byte(spec), &j); err != nil {
		return err
	}
	var db *store.DB
	if j.Data != "" {
		var err error
		if db, err = store.Open(ctx, j.Data); err != nil {
			return err
		}
		defer db.Close()
	}
	res := result{LoadBefore: machine.Load(), Stages: map[string]float64{}}
	st := new(triage.Stages)
	counters := new(triage.Counters)
	start := time.Now()
	r, err := triage.Run(ctx, triage.Options{Inputs: []string{j.Input}, OutDir: j.Out, Store: db, Workers: j.Workers,
		Stages: st, Counters: counters, Case: "bench", Seizure: "s1"})
	if err != nil {
		return err
	}
	t := time.Now()
	if err := report.Write(ctx, j.Out, r, time.Now()); err != nil {
		return err
	}
	st.Add(triage.StageReport, time.Since(t))
	res.Wall = time.Since(start).Seconds()
	res.Files, res.Bytes, res.Groups = r.NFiles, counters.DoneBytes.Load(), r.NGroups
	for _, v := range []triage.Verdict{triage.New, triage.NearKnown, triage.Known, triage.BenignKnown} {
		res.Media += r.Counts[v]
	}
	r.Close()
	for _, s := range triage.AllStages() {
		res.Stages[s.String()] = st.Get(s).Seconds()
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	res.User = time.Duration(ru.Utime.Nano()).Seconds()
	res.Sys = time.Duration(ru.Stime.Nano()).Seconds()
	res.VmHWM = vmHWM()
	res.After = machine.Load()
	return json.NewEncoder(stdout).Encode(res)
}

// vmHWM reads the process's peak resident set size.
func vmHWM() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// measure runs j in a child process.
func measure(ctx context.Context, j job) (result, error) {
	spec, _ := json.Marshal(j)
	cmd := exec.CommandContext(ctx, os.Args[0], "-child", string(spec))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("child: %w", err)
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return r, fmt.Errorf("child output %q: %w", out, err)
	}
	return r, nil
}
