package main

import (
	"fmt"
	"io"
	"syscall"
	"time"

	"github.com/havenproject/haven/bench/internal/record"
)

// vpdqHeading starts a new -out file.
const vpdqHeading = "# vPDQ benchmarks\n\nMeasured figures of `bench/vpdq`; each section names the machine and the command.\n"

// emit prints a section and, with -out, replaces it in the output file, so
// that reruns update figures in place.
func emit(o *options, stdout io.Writer, name, body string) error {
	fmt.Fprintln(stdout, body)
	if o.out == "" {
		return nil
	}
	return record.Replace(o.out, name, body, vpdqHeading)
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
	return "## " + title + "\n\n" + record.Stamp(cmd) + "\n"
}
