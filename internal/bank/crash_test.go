package bank_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

const (
	// envCrashChild, set to a database address, makes the test binary an
	// importer that the crash test kills.
	envCrashChild = "HAVEN_TEST_CRASH_CHILD"
	crashBank     = "crash"
	crashEntries  = 1_000_000
	// killAfter is how many rows the child must have written (in its
	// open transaction) before it is killed.
	killAfter = 300_000
)

// TestImportSurvivesKill kills (SIGKILL) a process in the middle of a
// 1M-entry import and checks that the bank is as it was before.
func TestImportSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the 1M-entry crash test in -short mode")
	}
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		s := newService(t, db, crashBank)
		if _, err := s.Import(ctx, crashBank, newRandomSource(1000, 1), bank.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		before := stats(t, s, crashBank)
		db.Close()

		written := runAndKill(t, dsn)
		t.Logf("killed the importer after %d rows", written)

		db, err = store.Open(ctx, dsn)
		if err != nil {
			t.Fatalf("reopen after kill: %v", err)
		}
		defer db.Close()
		s = bank.NewService(db)
		if after := stats(t, s, crashBank); !reflect.DeepEqual(after, before) {
			t.Errorf("bank changed by a killed import:\nbefore %+v\nafter  %+v", before, after)
		}
		if db.Dialect == store.SQLite {
			var check string
			if err := db.SQL.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
				t.Errorf("integrity_check: %q, %v", check, err)
			}
		}
		// The bank takes imports again (on PostgreSQL, once the server has
		// rolled the dead session back and released its lock).
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		res, err := s.Import(ctx, crashBank, newRandomSource(10, 2), bank.ImportOptions{})
		if err != nil || res.Inserted != 10 || res.Seq != before.Seq+1 {
			t.Errorf("import after kill: %+v, %v", res, err)
		}
	})
}

// runAndKill starts this test binary as an importer into dsn and kills it
// once it has written killAfter rows. It returns the rows written.
func runAndKill(t *testing.T, dsn string) int64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envCrashChild+"="+dsn)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() // when the test fails before the kill
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		n, err := strconv.ParseInt(strings.TrimPrefix(lines.Text(), "inserted "), 10, 64)
		if err != nil {
			t.Fatalf("child: %s", lines.Text())
		}
		if n >= killAfter {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			return n
		}
	}
	err = cmd.Wait()
	t.Fatalf("the importer ended before it was killed: %v", err)
	return 0
}

// crashChild imports crashEntries entries into the database named by
// envCrashChild, printing its progress, and is meant to be killed.
func crashChild() int {
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv(envCrashChild))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var p bank.ImportProgress
	go func() {
		for {
			time.Sleep(20 * time.Millisecond)
			fmt.Printf("inserted %d\n", p.Inserted.Load())
		}
	}()
	_, err = bank.NewService(db).Import(ctx, crashBank, newRandomSource(crashEntries, 99), bank.ImportOptions{Progress: &p})
	fmt.Printf("import finished: %v\n", err)
	return 3
}
