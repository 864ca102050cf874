package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/havenproject/haven/bench/internal/record"
)

// importHeading starts a new -out file.
const importHeading = "# Benchmarks: bank import\n\nMeasured figures; the section below is written by `bench/import`.\n"

// writeReport replaces the import section of the markdown file o.out (or
// creates the file) with the results.
func writeReport(o options, results []runResult) error {
	var b strings.Builder
	b.WriteString("## Bank import: entries per second and peak memory\n\n")
	b.WriteString(record.Stamp(record.Command("import", os.Args[1:])) + "\n")
	b.WriteString("Each import runs in a process of its own into a fresh database, in one transaction. ")
	b.WriteString("The machine is shared with other work, so wall-clock rates vary from run to run; *cpu* is the importing process's user+system time ")
	b.WriteString("and *server cpu* the PostgreSQL server's (postmaster and backends), which vary less; *entries/cpu s* divides by their sum. ")
	b.WriteString("*heap* is the peak Go heap (runtime.MemStats.HeapAlloc sampled every 10 ms), *sys* the peak memory the Go runtime held, ")
	b.WriteString("*VmHWM* the process's peak resident set (for SQLite it includes the page cache, 64 MiB at most). ")
	b.WriteString("*db* is the database size after the import (SQLite file after a checkpoint; pg_database_size).\n\n")
	b.WriteString("| input | entries | database | entries/s | wall s | cpu s | server cpu s | entries/cpu s | heap MiB | sys MiB | VmHWM MiB | db MiB |\n")
	b.WriteString("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %d | %s | %.0f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f |\n",
			r.Format, r.Inserted, r.DB, float64(r.Inserted)/r.Seconds, r.Seconds, r.CPUSeconds, r.ServerCPU,
			float64(r.Inserted)/(r.CPUSeconds+r.ServerCPU),
			m(r.HeapPeak), m(r.SysPeak), m(r.VmHWM), m(uint64(r.DBBytes)))
	}
	return record.Replace(o.out, "import", b.String(), importHeading)
}

func m(b uint64) float64 { return float64(b) / (1 << 20) }
