// Package record is what Haven's benchmark commands share: their main
// function, the line that says where, when and how figures were measured,
// and writing a result section into a markdown file under docs/.
package record

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/bench/internal/machine"
)

// Run is a benchmark command's body: args without the program name.
type Run func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// Main runs run with a context that an interrupt cancels, and exits 2 on
// a usage error (-h included) and 1 on any other error, printed after
// "<name> bench:".
func Main(name string, run Run) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s bench: %v\n", name, err)
		os.Exit(1)
	}
}

// Command is the command line that reruns bench/<name> with args, quoted
// where a shell needs it.
func Command(name string, args []string) string {
	cmd := "go run ./bench/" + name
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$`\\") {
			a = strconv.Quote(a)
		}
		cmd += " " + a
	}
	return cmd
}

// Stamp is the paragraph a result section starts with: the machine, the
// time, the load average (other work slows wall times) and the command.
func Stamp(cmd string) string {
	return fmt.Sprintf("Measured %s on %s; load average %s.  \nCommand: `%s`\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), machine.Describe(), machine.Load(), cmd)
}

// Replace puts body between the markers "<!-- begin name -->" and
// "<!-- end name -->" of the markdown file path, so that a rerun updates
// its figures in place; without the markers the section is appended, and
// without the file it is created starting with heading.
func Replace(path, name, body, heading string) error {
	text := heading
	if b, err := os.ReadFile(path); err == nil {
		text = string(b)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("section %s: %w", name, err)
	}
	begin, end := "<!-- begin "+name+" -->", "<!-- end "+name+" -->"
	block := begin + "\n" + strings.TrimRight(body, "\n") + "\n" + end
	if i := strings.Index(text, begin); i >= 0 {
		if j := strings.Index(text[i:], end); j >= 0 {
			text = text[:i] + block + text[i+j+len(end):]
			return writeFile(path, name, text)
		}
	}
	return writeFile(path, name, strings.TrimRight(text, "\n")+"\n\n"+block+"\n")
}

func writeFile(path, name, text string) error {
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return fmt.Errorf("section %s: %w", name, err)
	}
	return nil
}

// Append adds text at the end of the file path, creating it if needed:
// for results kept as a history of runs rather than one current section.
func Append(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("append results: %w", err)
	}
	if _, err := io.WriteString(f, text); err != nil {
		f.Close()
		return fmt.Errorf("append results to %s: %w", path, err)
	}
	return f.Close()
}
