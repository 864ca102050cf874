package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/havenproject/haven/bench/internal/machine"
)

// emit prints a section and, with -out, replaces the text between its
// markers in the output file (appending it when absent), so that reruns
// update figures in place.
func emit(o *options, stdout io.Writer, name, body string) error {
	fmt.Fprintln(stdout, body)
	if o.out == "" {
		return nil
	}
	text := "# vPDQ benchmarks\n\nMeasured figures of `bench/vpdq`; each section names the machine and the command.\n"
	if b, err := os.ReadFile(o.out); err == nil {
		text = string(b)
	} else if !os.IsNotExist(err) {
		return err
	}
	begin, end := "<!-- begin "+name+" -->", "<!-- end "+name+" -->"
	block := begin + "\n" + strings.TrimRight(body, "\n") + "\n" + end
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i >= 0 && j > i {
		text = text[:i] + block + text[j+len(end):]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + block + "\n"
	}
	return os.WriteFile(o.out, []byte(text), 0o644)
}

// load is the 1-minute load average: other work on the machine slows wall
// times, so each section records it.
func load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

// cpuTime is the processor time used so far by this process and its
// waited-for children (ffmpeg).
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}

func header(title, cmd string) string {
	return fmt.Sprintf("## %s\n\nRun of %s. Machine: %s. Load average at start: %s.  \nCommand: `%s`\n\n",
		title, time.Now().UTC().Format("2006-01-02 15:04 UTC"), machine.Describe(), load(), cmd)
}
