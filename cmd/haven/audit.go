package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/audit"
)

func newAuditCmd(s streams, cfg *config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Verify and export the audit trail",
		Long: `The audit trail records every login, every read or change of case, bank or report
data and every token use. Records are chained by SHA-256, so that 'verify' finds
any record edited, removed or reordered in the database.`,
	}
	cmd.AddCommand(newAuditVerifyCmd(s, cfg), newAuditExportCmd(s, cfg))
	return cmd
}

// errBroken is wrapped by the error of a broken audit chain, which names
// the record; run prints it and exits with status 1.
var errBroken = errors.New("audit trail broken")

func newAuditVerifyCmd(s streams, cfg *config) *cobra.Command {
	var anchors []string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit trail's hash chain (exit 0 intact, 1 broken)",
		Long: `Walk the whole chain and name the first record that was edited, removed, inserted
or reordered. The chain alone cannot show that its newest records were cut off
together with its head: note the head this command prints somewhere outside the
database, and pass it back later with --anchor ID:HASH.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var as []audit.Anchor
			for _, a := range anchors {
				anchor, err := parseAnchor(a)
				if err != nil {
					return err
				}
				as = append(as, anchor)
			}
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				rep, err := env.audit.Verify(ctx, as...)
				if err != nil {
					return err
				}
				result := audit.OK
				if !rep.OK {
					result = audit.Failed
				}
				if err := env.audit.Append(ctx, audit.Record{Actor: env.actor, Role: "admin", Action: "audit.verify",
					Result: result, Detail: rep.String()}); err != nil {
					return err
				}
				if !rep.OK {
					return fmt.Errorf("%w at record %d: %s", errBroken, rep.BrokenID, rep.Problem)
				}
				fmt.Fprintln(s.out, rep)
				return nil
			})
		},
	}
	cmd.Flags().StringArrayVar(&anchors, "anchor", nil, "ID:HASH of a head noted earlier; fail unless that record is still there unchanged (repeatable)")
	return cmd
}

func parseAnchor(s string) (audit.Anchor, error) {
	id, hash, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n < 1 || len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
		return audit.Anchor{}, usagef("--anchor %q: want ID:HASH, the head 'haven audit verify' printed", s)
	}
	return audit.Anchor{ID: n, Hash: hash}, nil
}

func newAuditExportCmd(s streams, cfg *config) *cobra.Command {
	var from, to, output string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the audit records of a time range as JSON lines, with their hashes",
		Example: `  haven audit export --from 2026-11-01 --to 2026-12-01 > audit-2026-11.jsonl
  haven audit export --from 2026-11-29T08:00:00Z`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := parseTimeFlag("from", from)
			if err != nil {
				return err
			}
			t, err := parseTimeFlag("to", to)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				err := exportAudit(ctx, env.audit, f, t, output, s)
				return env.record(ctx, "audit.export", fmt.Sprintf("from %q to %q", from, to), err)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "first time included: RFC 3339 or YYYY-MM-DD (UTC); default: the beginning")
	f.StringVar(&to, "to", "", "first time excluded: RFC 3339 or YYYY-MM-DD (UTC); default: no end")
	f.StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

// exportAudit writes the records of [from, to) to the file output, or to
// standard output when output is "" or "-".
func exportAudit(ctx context.Context, l *audit.Log, from, to time.Time, output string, s streams) error {
	if output == "" || output == "-" {
		return l.Export(ctx, from, to, s.out)
	}
	f, err := os.Create(output)
	if err != nil {
		return err
	}
	if err := l.Export(ctx, from, to, f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parseTimeFlag parses an RFC 3339 time or a UTC date; "" is the zero time.
func parseTimeFlag(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("--%s %q: want an RFC 3339 time (2026-11-29T08:00:00Z) or a date (2026-11-29)", name, v)
}
