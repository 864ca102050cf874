package main

import (
	"os"
	"strings"
	"syscall"
	"time"
)

// threadCPU returns the CPU time of the calling OS thread (lock the
// goroutine to its thread first); processCPU that of the whole process. On
// a machine shared with other work they say what the code costs where wall
// time also says how busy the machine was.
func threadCPU() time.Duration { return rusage(1 /* RUSAGE_THREAD */) }

func processCPU() time.Duration { return rusage(syscall.RUSAGE_SELF) }

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage returns the 1-minute load average as text.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
