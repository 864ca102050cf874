package audit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// Environment of a child process that appends records (see appendChild).
const (
	envChildDSN = "HAVEN_AUDIT_CHILD_DSN"
	envChildN   = "HAVEN_AUDIT_CHILD_N"
)

// appendChild is a child process's work: append n records to the trail at
// dsn from 4 goroutines. It returns the exit status.
func appendChild() int {
	n, _ := strconv.Atoi(os.Getenv(envChildN))
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv(envChildDSN))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	l := New(db)
	errs := make(chan error, 4)
	for w := range 4 {
		go func() {
			var err error
			for i := w; i < n && err == nil; i += 4 {
				err = l.Append(ctx, Record{Actor: fmt.Sprintf("pid%d", os.Getpid()), Action: "match", Object: strconv.Itoa(i), Result: OK})
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

// TestProcessesAppend runs three processes appending at once to one
// database, as three Haven nodes would, and checks that the chain is one
// line holding every record.
func TestProcessesAppend(t *testing.T) {
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		// Migrate first, so that the children do not race to.
		db, err := store.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		const procs, each = 3, 60
		cmds := make([]*exec.Cmd, procs)
		for i := range cmds {
			cmds[i] = exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
			cmds[i].Env = append(os.Environ(), envChildDSN+"="+dsn, envChildN+"="+strconv.Itoa(each))
			cmds[i].Stderr = os.Stderr
			if err := cmds[i].Start(); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range cmds {
			if err := c.Wait(); err != nil {
				t.Fatalf("child: %v", err)
			}
		}
		rep, err := New(db).Verify(t.Context())
		if err != nil || !rep.OK || rep.Records != procs*each {
			t.Fatalf("after %d processes: %s (%d records), %v", procs, rep, rep.Records, err)
		}
	})
}
