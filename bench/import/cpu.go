package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// clockTick is Linux's USER_HZ, the unit of the times in /proc/*/stat.
const clockTick = 100

// serverCPU returns the CPU seconds used so far by the PostgreSQL server
// whose postmaster is pid: its own time, that of its children that have
// exited (backends of closed connections), and that of its live children.
// It returns 0 when /proc cannot tell.
func serverCPU(pid int) float64 {
	if pid == 0 {
		return 0
	}
	f := procStat(pid)
	if f == nil {
		return 0
	}
	ticks := sumFields(f, 11, 12, 13, 14) // utime stime cutime cstime
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		child, _ := strconv.Atoi(filepath.Base(p))
		cf := procStat(child)
		if cf != nil && len(cf) > 1 && cf[1] == strconv.Itoa(pid) {
			ticks += sumFields(cf, 11, 12)
		}
	}
	return float64(ticks) / clockTick
}

// procStat returns the fields of /proc/pid/stat after the command name
// (field 0 is the state, 1 the parent's pid, 11 utime, 12 stime, ...).
func procStat(pid int) []string {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return nil
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

func sumFields(f []string, idx ...int) int64 {
	var t int64
	for _, i := range idx {
		if i < len(f) {
			v, _ := strconv.ParseInt(f[i], 10, 64)
			t += v
		}
	}
	return t
}
