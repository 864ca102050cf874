package main

import (
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/auth"
)

func newAdminCreateTokenCmd(s streams, cfg *config) *cobra.Command {
	var (
		org, name, role string
		ttl             time.Duration
	)
	cmd := &cobra.Command{
		Use:   "create-token",
		Short: "Create an API token for an organisation; it is printed once and cannot be shown again",
		Example: `  haven admin create-token --org platform-a --name upload-scanner
  curl -H "Authorization: Bearer haven_..." https://haven.example/m/lookup?...`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := auth.ParseRole(role)
			if err != nil {
				return usageError{err}
			}
			if org == "" || name == "" {
				return usagef("create-token: --org and --name are required")
			}
			if ttl <= 0 {
				return usagef("create-token: --ttl must be positive")
			}
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				plain, t, err := env.auth.CreateTokenFor(ctx, auth.TokenSpec{Org: org, Name: name, Role: r, TTL: ttl, CreatedBy: env.actor})
				object := "token:" + name
				if err == nil {
					object = "token:" + strconv.FormatInt(t.ID, 10)
				}
				if err = env.record(ctx, "token.create", object, err); err != nil {
					return err
				}
				fmt.Fprintf(s.err, "created token %d %q (%s in %s), expires %s; it is shown once:\n",
					t.ID, t.Name, t.Role, t.Org, t.Expires.Format(time.DateTime))
				fmt.Fprintln(s.out, plain)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&org, "org", "", "organisation the token acts for")
	f.StringVar(&name, "name", "", "what the token is for")
	f.StringVar(&role, "role", string(auth.Partner), "role the token acts with")
	f.DurationVar(&ttl, "ttl", 90*24*time.Hour, "lifetime")
	return cmd
}

func newAdminListTokensCmd(s streams, cfg *config) *cobra.Command {
	var (
		org    string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list-tokens",
		Short: "List API tokens (never their secrets)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				tokens, err := env.auth.ListTokens(ctx, org)
				if err = env.record(ctx, "token.list", "org:"+org, err); err != nil {
					return err
				}
				if asJSON {
					return writeJSON(s.out, tokens)
				}
				tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tORG\tROLE\tSTATE\tEXPIRES\tLAST USED")
				now := time.Now()
				for _, t := range tokens {
					state, used := "active", "never"
					switch {
					case !t.Revoked.IsZero():
						state = "revoked"
					case !now.Before(t.Expires):
						state = "expired"
					}
					if !t.LastUsed.IsZero() {
						used = t.LastUsed.Format(time.DateTime)
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Org, t.Role, state, t.Expires.Format(time.DateTime), used)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "only this organisation's tokens")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newAdminRevokeTokenCmd(s streams, cfg *config) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke-token ID",
		Short: "Revoke an API token (running servers refuse it within seconds)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usagef("revoke-token: ID must be a token number (see list-tokens), got %q", args[0])
			}
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				err := env.auth.RevokeToken(ctx, id)
				if err = env.record(ctx, "token.revoke", "token:"+args[0], err); err != nil {
					return err
				}
				fmt.Fprintf(s.out, "revoked token %d\n", id)
				return nil
			})
		},
	}
}
