// Package machine describes the machine a benchmark ran on, so that every
// recorded figure says where it was measured.
package machine

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// Describe names the CPU model, cores (and GOMAXPROCS), memory, Go version
// and operating system, e.g. "AMD EPYC, 2 cores (GOMAXPROCS 2), 23.4 GiB
// RAM, go1.26.8, Debian GNU/Linux 12 (bookworm)".
func Describe() string {
	model := field("/proc/cpuinfo", "model name")
	if model == "" {
		model = "unknown CPU"
	}
	mem := ""
	var kb int64
	if _, err := fmt.Sscanf(field("/proc/meminfo", "MemTotal")+"\n", "%d kB", &kb); err == nil {
		mem = fmt.Sprintf(", %.1f GiB RAM", float64(kb)/(1<<20))
	}
	osName := runtime.GOOS + "/" + runtime.GOARCH
	if v := field("/etc/os-release", "PRETTY_NAME"); v != "" {
		osName = strings.Trim(v, `"`)
	}
	return fmt.Sprintf("%s, %d cores (GOMAXPROCS %d)%s, %s, %s", model, runtime.NumCPU(),
		runtime.GOMAXPROCS(0), mem, runtime.Version(), osName)
}

// Load is the 1-, 5- and 15-minute load averages: other work on the
// machine slows wall times, so each record should carry it.
func Load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// field returns the value of the first "key: value" or "key=value" line of
// a file, or "".
func field(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		for _, sep := range []string{":", "="} {
			if k, v, ok := strings.Cut(line, sep); ok && strings.TrimSpace(k) == key {
				return strings.TrimSpace(v)
			}
		}
	}
	return ""
}
