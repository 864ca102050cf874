package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
)

func newBankCmd(s streams, cfg *config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bank",
		Short: "Create, import, export and inspect hash banks",
		Long: `A bank is a list of hashes from one source, with sharing terms. Each entry is an
opinion with provenance: category in a named scheme, series, flags, who added it
and when. Withdrawn entries stay as tombstones.`,
	}
	cmd.AddCommand(
		newBankCreateCmd(s, cfg),
		newBankListCmd(s, cfg),
		newBankShowCmd(s, cfg),
		newBankImportCmd(s, cfg),
		newBankExportCmd(s, cfg),
		newBankWithdrawCmd(s, cfg),
		newBankStatsCmd(s, cfg),
	)
	return cmd
}

// withBanks opens the store and runs fn with a bank service on it.
func withBanks(ctx context.Context, cfg *config, fn func(*bank.Service) error) error {
	db, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(bank.NewService(db))
}

type bankCreateOptions struct {
	description, sourceOrg string
	negative               bool
	share                  []string
	pdqThreshold           int
	vpdqThreshold          int
}

func newBankCreateCmd(s streams, cfg *config) *cobra.Command {
	var opt bankCreateOptions
	cmd := &cobra.Command{
		Use:     "create NAME",
		Short:   "Create a bank",
		Example: `  haven bank create hotline-csam --source-org hotline --share police,platform-a`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b := bank.Bank{Name: args[0], Description: opt.description, SourceOrg: opt.sourceOrg,
				Kind: bank.Positive, SharedWith: opt.share}
			if opt.negative {
				b.Kind = bank.Negative
			}
			for k, t := range map[signal.Kind]int{signal.PDQ: opt.pdqThreshold, signal.VPDQ: opt.vpdqThreshold} {
				if t > 0 {
					if b.Thresholds == nil {
						b.Thresholds = map[signal.Kind]int{}
					}
					b.Thresholds[k] = t
				}
			}
			return withBanks(cmd.Context(), cfg, func(svc *bank.Service) error {
				b, err := svc.Create(cmd.Context(), b)
				if err != nil {
					return err
				}
				fmt.Fprintf(s.out, "created bank %s (id %d, %s)\n", b.Name, b.ID, b.Kind)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&opt.description, "description", "", "what the bank holds")
	f.StringVar(&opt.sourceOrg, "source-org", "", "organisation that curates the bank")
	f.BoolVar(&opt.negative, "negative", false, "known-benign material (stock photos...): its matches suppress positives")
	f.StringSliceVar(&opt.share, "share", nil, "organisations that may match against the bank (comma-separated)")
	f.IntVar(&opt.pdqThreshold, "pdq-threshold", 0, "PDQ match distance for this bank (default 31)")
	f.IntVar(&opt.vpdqThreshold, "vpdq-threshold", 0, "vPDQ frame match distance for this bank's videos (default 31, at most 64)")
	return cmd
}

func newBankListCmd(s streams, cfg *config) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List banks",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withBanks(cmd.Context(), cfg, func(svc *bank.Service) error {
				banks, err := svc.List(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(s.out, bankViews(banks))
				}
				tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tKIND\tSOURCE\tSHARED WITH\tSEQ")
				for _, b := range banks {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", b.Name, b.Kind, b.SourceOrg, strings.Join(b.SharedWith, ","), b.Seq)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// bankView is a bank as the CLI prints it in JSON.
type bankView struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	SourceOrg   string         `json:"source_org,omitempty"`
	Kind        bank.Kind      `json:"kind"`
	SharedWith  []string       `json:"shared_with"`
	Thresholds  map[string]int `json:"thresholds,omitempty"`
	Seq         int64          `json:"seq"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Stats       *statsView     `json:"stats,omitempty"`
}

func bankViews(banks []bank.Bank) []bankView {
	out := make([]bankView, 0, len(banks))
	for _, b := range banks {
		out = append(out, newBankView(b))
	}
	return out
}

func newBankView(b bank.Bank) bankView {
	v := bankView{Name: b.Name, Description: b.Description, SourceOrg: b.SourceOrg, Kind: b.Kind,
		SharedWith: b.SharedWith, Seq: b.Seq, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
	if v.SharedWith == nil {
		v.SharedWith = []string{}
	}
	for k, t := range b.Thresholds {
		if v.Thresholds == nil {
			v.Thresholds = map[string]int{}
		}
		v.Thresholds[string(k)] = t
	}
	return v
}

// statsView is bank.Stats as the CLI prints it.
type statsView struct {
	Active     int64                    `json:"active"`
	Withdrawn  int64                    `json:"withdrawn"`
	Kinds      map[string]kindStatsView `json:"kinds"`
	Categories map[string]int64         `json:"categories"`
}

type kindStatsView struct {
	Active    int64 `json:"active"`
	Withdrawn int64 `json:"withdrawn"`
}

func newStatsView(st bank.Stats) *statsView {
	v := &statsView{Active: st.Active, Withdrawn: st.Withdrawn, Kinds: map[string]kindStatsView{}, Categories: map[string]int64{}}
	for k, ks := range st.Kinds {
		v.Kinds[string(k)] = kindStatsView{ks.Active, ks.Withdrawn}
	}
	for c, n := range st.Categories {
		v.Categories[c.String()] = n
	}
	return v
}

func newBankShowCmd(s streams, cfg *config) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a bank's settings and counts",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBanks(cmd.Context(), cfg, func(svc *bank.Service) error {
				b, err := svc.Get(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				st, err := svc.Stats(cmd.Context(), b.Name)
				if err != nil {
					return err
				}
				v := newBankView(b)
				v.Stats = newStatsView(st)
				if asJSON {
					return writeJSON(s.out, v)
				}
				printBank(s.out, v)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printBank(w io.Writer, v bankView) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "name:\t%s\n", v.Name)
	if v.Description != "" {
		fmt.Fprintf(tw, "description:\t%s\n", v.Description)
	}
	fmt.Fprintf(tw, "kind:\t%s\n", v.Kind)
	fmt.Fprintf(tw, "source organisation:\t%s\n", v.SourceOrg)
	fmt.Fprintf(tw, "shared with:\t%s\n", strings.Join(v.SharedWith, ", "))
	for k, t := range v.Thresholds {
		fmt.Fprintf(tw, "%s threshold:\t%d\n", k, t)
	}
	fmt.Fprintf(tw, "sequence:\t%d\n", v.Seq)
	fmt.Fprintf(tw, "created:\t%s\n", v.CreatedAt.Format(time.RFC3339))
	if st := v.Stats; st != nil {
		fmt.Fprintf(tw, "entries:\t%d active, %d withdrawn\n", st.Active, st.Withdrawn)
		for _, k := range sortedKeys(st.Kinds) {
			fmt.Fprintf(tw, "  %s:\t%d active, %d withdrawn\n", k, st.Kinds[k].Active, st.Kinds[k].Withdrawn)
		}
		for _, c := range sortedKeys(st.Categories) {
			fmt.Fprintf(tw, "  category %s:\t%d\n", c, st.Categories[c])
		}
	}
	tw.Flush()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func newBankStatsCmd(s streams, cfg *config) *cobra.Command {
	cmd := newBankShowCmd(s, cfg)
	cmd.Use = "stats NAME"
	cmd.Short = "Count a bank's entries by kind, state and category"
	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s: want %d argument(s), got %d", cmd.CommandPath(), n, len(args))
		}
		return nil
	}
}

// openInput opens a file, or standard input for "-".
func openInput(name string, stdin io.Reader) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(stdin), nil
	}
	return os.Open(name)
}

// parseKind reads a --kind flag value; empty is allowed.
func parseKind(name string) (signal.Kind, error) {
	if name == "" {
		return "", nil
	}
	k, err := signal.ParseKind(name)
	if err != nil {
		return "", usagef("--kind: %v", err)
	}
	return k, nil
}
