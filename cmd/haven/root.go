package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Exit statuses, as scripts around hashing tools expect them.
const (
	exitOK      = 0
	exitPartial = 1 // the run finished, but some inputs failed
	exitUsage   = 2 // bad flags or arguments; nothing was done
)

// streams are the command's standard files, passed explicitly so that tests
// can run commands in-process.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// usageError marks errors in how the command was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// errPartial reports that some inputs failed; the failures were already
// printed one by one.
var errPartial = errors.New("some inputs failed")

// run executes the command line and returns the exit status.
func run(ctx context.Context, args []string, s streams) int {
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errPartial):
		return exitPartial
	case errors.As(err, new(usageError)) || isCobraUsage(err):
		fmt.Fprintf(s.err, "haven: %v\nRun 'haven --help' for usage.\n", err)
		return exitUsage
	default:
		fmt.Fprintf(s.err, "haven: %v\n", err)
		return exitPartial
	}
}

// isCobraUsage recognises cobra's own flag and argument errors, which it
// does not type.
func isCobraUsage(err error) bool {
	var ferr *cobraFlagError
	return errors.As(err, &ferr) || strings.HasPrefix(err.Error(), "unknown command")
}

// cobraFlagError wraps errors from flag parsing so that run can map them to
// the usage exit status.
type cobraFlagError struct{ err error }

func (e *cobraFlagError) Error() string { return e.err.Error() }
func (e *cobraFlagError) Unwrap() error { return e.err }

func newRootCmd(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "haven",
		Short: "Haven: find the children in abuse material, remove what is known, and share hashes, never material",
		Long: `Haven hashes images with PDQ (compatible with Meta's reference and the hash lists
the field shares), and in time triages seized collections, keeps hash banks and
serves a hash-matching API.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildVersion(),
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cobraFlagError{err} })
	cfg := new(config)
	cfg.addFlags(root)
	root.AddCommand(newHashCmd(s), newBankCmd(s, cfg), newMatchCmd(s, cfg))
	root.AddCommand(newTriageCmd(s, cfg), newServeCmd(s, cfg))
	root.AddCommand(newAdminCmd(s, cfg))
	root.AddCommand(newAuditCmd(s, cfg))
	return root
}
