package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"
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

// machine describes the CPU (lscpu's model name), cores, memory, Go and OS.
func machine() string {
	model := "unknown CPU"
	if out, err := exec.Command("lscpu").Output(); err == nil {
		for _, line := range strings.Split(string(out), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "Model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var kb int64
			if _, err := fmt.Sscanf(sc.Text(), "MemTotal: %d kB", &kb); err == nil {
				mem = fmt.Sprintf(", %.0f GiB RAM", float64(kb)/(1<<20))
				break
			}
		}
		f.Close()
	}
	osName := runtime.GOOS
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				osName = strings.Trim(v, `"`)
			}
		}
	}
	return fmt.Sprintf("%s, %d cores%s, %s, %s", model, runtime.NumCPU(), mem, runtime.Version(), osName)
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
		title, time.Now().UTC().Format("2006-01-02 15:04 UTC"), machine(), load(), cmd)
}
