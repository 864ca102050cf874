package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats"
	"github.com/havenproject/haven/internal/signal"
)

type bankImportOptions struct {
	format      string
	kind        string
	scheme      string
	addedBy     string
	maxRejected int64
	showRejects int
}

func newBankImportCmd(s streams, cfg *config) *cobra.Command {
	var opt bankImportOptions
	cmd := &cobra.Command{
		Use:   "import NAME FILE|-",
		Short: "Import a hash list into a bank, all or nothing",
		Long: `Import a hash list into a bank in one transaction: if the file cannot be read to
its end, nothing is imported. Records that are wrong one by one (bad hex, wrong
length) are rejected and reported with their position; the rest are imported.
Hashes already active in the bank are counted as duplicates, so importing the
same list twice adds nothing.

Formats (detected from content unless --format says): ` + strings.Join(formats.Formats(), ", ") + `.`,
		Example: `  haven bank import hotline-csam list.json
  haven bank import stock-photos --format plain --kind pdq hashes.txt`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBankImport(cmd, s, cfg, opt, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringVar(&opt.format, "format", "auto", "input format: auto or one of "+strings.Join(formats.Formats(), ", "))
	f.StringVar(&opt.kind, "kind", "", "signal kind of bare hashes where the format does not say (64 hex digits: sha256 or pdq)")
	f.StringVar(&opt.scheme, "scheme", "", "category scheme of numeric categories the file does not name (vics-us, vics-uk)")
	f.StringVar(&opt.addedBy, "added-by", currentUser(), "recorded as the author of entries whose source names nobody")
	f.Int64Var(&opt.maxRejected, "max-rejected", 0, "import nothing when more records than this are rejected (0: no limit)")
	f.IntVar(&opt.showRejects, "show-rejected", 100, "how many rejected records to list (all are counted)")
	return cmd
}

func runBankImport(cmd *cobra.Command, s streams, cfg *config, opt bankImportOptions, name, path string) error {
	kind, err := parseKind(opt.kind)
	if err != nil {
		return err
	}
	in, err := openInput(path, s.in)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer in.Close()
	br := bufio.NewReaderSize(in, 64<<10)
	format := opt.format
	if format == "auto" {
		head, _ := br.Peek(8 << 10)
		f, ok := formats.Detect(head)
		if !ok {
			return usagef("import %s: cannot tell the format; say it with --format (%s)", path, strings.Join(formats.Formats(), ", "))
		}
		format = f
	}
	src, err := formats.NewReader(format, br, formats.Options{Kind: kind, Scheme: bank.Scheme(opt.scheme)})
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	return withBanks(cmd.Context(), cfg, func(svc *bank.Service) error {
		res, err := svc.Import(cmd.Context(), name, src, bank.ImportOptions{
			AddedBy:        opt.addedBy,
			MaxRejected:    opt.maxRejected,
			KeepRejections: opt.showRejects,
		})
		for _, r := range res.Rejections {
			fmt.Fprintf(s.err, "haven: %s: rejected: %v\n", path, r.Err)
		}
		if err != nil {
			return fmt.Errorf("import %s into %s: %w (nothing was imported)", path, name, err)
		}
		fmt.Fprintf(s.out, "imported %s (%s) into %s: %d records, %d added, %d already present, %d rejected",
			path, format, name, res.Records, res.Inserted, res.Duplicates, res.Rejected)
		if res.Tombstones > 0 {
			fmt.Fprintf(s.out, ", %d withdrawals withdrew %d entries", res.Tombstones, res.Withdrawn)
		}
		fmt.Fprintf(s.out, "; bank sequence %d\n", res.Seq)
		return nil
	})
}

type bankExportOptions struct {
	format           string
	scheme           string
	output           string
	includeWithdrawn bool
}

func newBankExportCmd(s streams, cfg *config) *cobra.Command {
	var opt bankExportOptions
	cmd := &cobra.Command{
		Use:     "export NAME",
		Short:   "Write a bank's entries in an exchange format",
		Example: `  haven bank export hotline-csam --format vics --scheme vics-us -o hotline.json`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := s.out
			var f *os.File
			if opt.output != "" && opt.output != "-" {
				var err error
				if f, err = os.Create(opt.output); err != nil {
					return fmt.Errorf("export: %w", err)
				}
				defer f.Close()
				w = f
			}
			bw := bufio.NewWriterSize(w, 64<<10)
			out, err := formats.NewWriter(opt.format, bw, formats.Options{Scheme: bank.Scheme(opt.scheme), Name: args[0]})
			if err != nil {
				if errors.Is(err, formats.ErrFormat) || errors.Is(err, formats.ErrNoWriter) {
					return usagef("export: %v (writable: %s)", err, strings.Join(formats.Writable(), ", "))
				}
				return fmt.Errorf("export: %w", err)
			}
			// Videos' vPDQ hashes are skipped, and counted, in formats that
			// cannot carry them (plain lists, StopNCII), so that a bank of
			// images and videos still exports its images' hashes.
			var n, skipped int
			err = withBanks(cmd.Context(), cfg, func(svc *bank.Service) error {
				return svc.Export(cmd.Context(), args[0], bank.ExportOptions{IncludeWithdrawn: opt.includeWithdrawn},
					func(e *bank.Entry) error {
						err := out.Write(*e)
						switch {
						case err == nil:
							n++
						case e.Signal.Kind == signal.VPDQ && errors.Is(err, formats.ErrUnsupported):
							skipped++
							err = nil
						}
						return err
					})
			})
			if err == nil {
				err = out.Close()
			}
			if err == nil {
				err = bw.Flush()
			}
			if err == nil && f != nil {
				err = f.Close()
			}
			if err != nil {
				return fmt.Errorf("export %s: %w", args[0], err)
			}
			fmt.Fprintf(s.err, "haven: exported %d entries of %s as %s\n", n, args[0], opt.format)
			if skipped > 0 {
				fmt.Fprintf(s.err, "haven: skipped %d vpdq entries: %s cannot carry video hashes\n", skipped, opt.format)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opt.format, "format", formats.VICS, "output format: "+strings.Join(formats.Writable(), ", "))
	f.StringVar(&opt.scheme, "scheme", string(bank.SchemeVICSUS), "VICS profile to write (vics-us or vics-uk)")
	f.StringVarP(&opt.output, "output", "o", "", "write to this file instead of standard output")
	f.BoolVar(&opt.includeWithdrawn, "include-withdrawn", false, "also write withdrawn entries (as tombstones where the format has them)")
	return cmd
}

type bankWithdrawOptions struct {
	hashes []string
	ids    []int64
	kind   string
	by     string
	reason string
}

func newBankWithdrawCmd(s streams, cfg *config) *cobra.Command {
	var opt bankWithdrawOptions
	cmd := &cobra.Command{
		Use:   "withdraw NAME --reason TEXT (--hash KIND:VALUE... | --id N...)",
		Short: "Withdraw entries from a bank (they stay, as tombstones)",
		Example: `  haven bank withdraw hotline-csam --hash pdq:f8f8...0000 --reason "false positive: stock photo"
  haven bank withdraw hotline-csam --id 42 --id 43 --reason "duplicate of NCMEC entry"`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opt.reason == "" {
				return usagef("withdraw: say why with --reason")
			}
			if len(opt.hashes) == 0 && len(opt.ids) == 0 {
				return usagef("withdraw: name entries with --hash or --id")
			}
			kind, err := parseKind(opt.kind)
			if err != nil {
				return err
			}
			w := bank.Withdrawal{EntryIDs: opt.ids, By: opt.by, Reason: opt.reason}
			for _, h := range opt.hashes {
				sig, err := parseSignal(h, kind)
				if err != nil {
					return usagef("withdraw: --hash %s: %v", h, err)
				}
				w.Signals = append(w.Signals, sig)
			}
			return withBanks(cmd.Context(), cfg, func(svc *bank.Service) error {
				n, err := svc.Withdraw(cmd.Context(), args[0], w)
				if err != nil {
					return err
				}
				fmt.Fprintf(s.out, "withdrew %d entries from %s\n", n, args[0])
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opt.hashes, "hash", nil, "hash to withdraw, as kind:value (or a bare value with --kind)")
	f.Int64SliceVar(&opt.ids, "id", nil, "entry id to withdraw")
	f.StringVar(&opt.kind, "kind", "", "kind of bare --hash values")
	f.StringVar(&opt.by, "by", currentUser(), "who withdraws")
	f.StringVar(&opt.reason, "reason", "", "why (required; kept with the tombstone)")
	return cmd
}

// parseSignal reads "kind:value", or a bare value whose kind is given or
// unambiguous by length.
func parseSignal(text string, kind signal.Kind) (signal.Signal, error) {
	if k, v, ok := strings.Cut(text, ":"); ok {
		kk, err := signal.ParseKind(k)
		if err != nil {
			return signal.Signal{}, err
		}
		return signal.New(kk, v)
	}
	if kind == "" {
		switch g := signal.Guess(text); len(g) {
		case 0:
			return signal.Signal{}, fmt.Errorf("%w: not a hash", signal.ErrValue)
		case 1:
			kind = g[0]
		default:
			return signal.Signal{}, fmt.Errorf("64 hex digits may be sha256 or pdq: write kind:value or use --kind")
		}
	}
	return signal.New(kind, text)
}
