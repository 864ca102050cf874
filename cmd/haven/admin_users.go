package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/auth"
)

func newAdminCreateUserCmd(s streams, cfg *config) *cobra.Command {
	var (
		org, role string
		stdin     bool
	)
	cmd := &cobra.Command{
		Use:   "create-user LOGIN",
		Short: "Create a user with one role in one organisation",
		Long: `Create a user. Without --password-stdin a one-time password is generated and
printed; the user must change it at first login.`,
		Example: `  haven admin create-user alice --org hotline --role admin`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := auth.ParseRole(role)
			if err != nil {
				return usageError{err}
			}
			if org == "" {
				return usagef("create-user: --org is required")
			}
			password, generated, err := passwordFor(s, stdin)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				u, err := env.auth.CreateUser(ctx, org, args[0], r, password)
				if err = env.record(ctx, "user.create", "user:"+args[0], err); err != nil {
					return err
				}
				fmt.Fprintf(s.out, "created user %s (%s in %s)\n", u.Login, u.Role, u.Org)
				if generated {
					fmt.Fprintf(s.out, "one-time password: %s\n", password)
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&org, "org", "", "organisation (short name)")
	f.StringVar(&role, "role", "", "role: admin, investigator, victim_id, hotline_analyst, partner, care_worker or monitor")
	f.BoolVar(&stdin, "password-stdin", false, "read the password from the first line of standard input instead of generating one")
	return cmd
}

func newAdminListUsersCmd(s streams, cfg *config) *cobra.Command {
	var (
		org    string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list-users",
		Short: "List users",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				users, err := env.auth.ListUsers(ctx, org)
				if err = env.record(ctx, "user.list", "org:"+org, err); err != nil {
					return err
				}
				if asJSON {
					return writeJSON(s.out, users)
				}
				tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "LOGIN\tORG\tROLE\tSTATE\tCREATED")
				for _, u := range users {
					state := "active"
					switch {
					case !u.Disabled.IsZero():
						state = "disabled"
					case u.MustChangePassword:
						state = "must change password"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Login, u.Org, u.Role, state, u.CreatedAt.Format(time.DateTime))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "only this organisation's users")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newAdminSetPasswordCmd(s streams, cfg *config) *cobra.Command {
	var stdin bool
	cmd := &cobra.Command{
		Use:   "set-password LOGIN",
		Short: "Set a user's password (generated and printed unless --password-stdin), end their sessions",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, generated, err := passwordFor(s, stdin)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				err := env.auth.SetPassword(ctx, args[0], password)
				if err = env.record(ctx, "user.set_password", "user:"+args[0], err); err != nil {
					return err
				}
				fmt.Fprintf(s.out, "password of %s set; they must change it at next login\n", args[0])
				if generated {
					fmt.Fprintf(s.out, "one-time password: %s\n", password)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from the first line of standard input instead of generating one")
	return cmd
}

// newAdminUserStateCmd makes the commands that change one user's state.
func newAdminUserStateCmd(s streams, cfg *config, use, short, action string, change func(*auth.Service, context.Context, string) error) *cobra.Command {
	return &cobra.Command{
		Use:   use + " LOGIN",
		Short: short,
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				err := change(env.auth, ctx, args[0])
				if err = env.record(ctx, action, "user:"+args[0], err); err != nil {
					return err
				}
				fmt.Fprintf(s.out, "%s: %s done\n", args[0], use)
				return nil
			})
		},
	}
}

func newAdminSetRoleCmd(s streams, cfg *config) *cobra.Command {
	var role string
	cmd := &cobra.Command{
		Use:     "set-role LOGIN --role ROLE",
		Short:   "Change a user's role (one their organisation may hold) and end their sessions",
		Example: `  haven admin set-role alice --role monitor`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := auth.ParseRole(role)
			if err != nil {
				return usageError{err}
			}
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				err := env.auth.SetUserRole(ctx, args[0], r)
				if err = env.record(ctx, "user.set_role", "user:"+args[0], err, "role "+string(r)); err != nil {
					return err
				}
				fmt.Fprintf(s.out, "%s is now %s\n", args[0], r)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "role: admin, investigator, victim_id, hotline_analyst, partner, care_worker or monitor")
	return cmd
}
