package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/audit"
	"github.com/havenproject/haven/internal/auth"
)

func newAdminCmd(s streams, cfg *config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "admin",
		Short: "Manage organisations, users and API tokens offline",
		Long: `Create the first administrator and manage accounts directly in the database, without
a running server. Every change is written to the audit trail as "cli:<os user>".`,
	}
	cmd.AddCommand(
		newAdminCreateOrgCmd(s, cfg),
		newAdminSetOrgRolesCmd(s, cfg),
		newAdminListOrgsCmd(s, cfg),
		newAdminCreateUserCmd(s, cfg),
		newAdminListUsersCmd(s, cfg),
		newAdminSetPasswordCmd(s, cfg),
		newAdminSetRoleCmd(s, cfg),
		newAdminUserStateCmd(s, cfg, "disable-user", "Disable a user and end their sessions", "user.disable", (*auth.Service).DisableUser),
		newAdminUserStateCmd(s, cfg, "enable-user", "Enable a disabled user", "user.enable", (*auth.Service).EnableUser),
		newAdminUserStateCmd(s, cfg, "unlock-user", "Lift a lockout after failed logins", "user.unlock", (*auth.Service).Unlock),
		newAdminCreateTokenCmd(s, cfg),
		newAdminListTokensCmd(s, cfg),
		newAdminRevokeTokenCmd(s, cfg),
	)
	return cmd
}

// adminEnv is what an admin command works with.
type adminEnv struct {
	auth  *auth.Service
	audit *audit.Log
	actor string
}

// withAdmin opens the store and runs fn; record then writes the audit
// record of the action, with the result fn returned.
func withAdmin(ctx context.Context, cfg *config, fn func(env adminEnv) error) error {
	db, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(adminEnv{auth: auth.NewService(db, auth.Options{}), audit: audit.New(db), actor: "cli:" + currentUser()})
}

// record writes the audit record of an admin action whose outcome is err,
// and returns err (joined with a failure to record). detail, if given,
// says what was set.
func (e adminEnv) record(ctx context.Context, action, object string, err error, detail ...string) error {
	r := audit.Record{Actor: e.actor, Role: string(auth.Admin), Action: action, Object: object, Result: audit.OK,
		Detail: strings.Join(detail, "; ")}
	if err != nil {
		r.Result, r.Detail = audit.Failed, strings.Join(append(detail, err.Error()), "; ")
	}
	if aerr := e.audit.Append(ctx, r); aerr != nil {
		return errors.Join(err, aerr)
	}
	return err
}

// rolesHelp explains --roles of create-org and set-org-roles.
const rolesHelp = `roles this organisation's users and API tokens may hold, comma-separated
(investigator, victim_id, hotline_analyst, partner, care_worker, monitor, admin);
e.g. "partner" for a platform, "investigator,victim_id,admin" for a police unit`

// parseRolesFlag reads --roles: required; "none" (no roles) only when
// allowNone.
func parseRolesFlag(cmd, value string, allowNone bool) ([]auth.Role, error) {
	if strings.TrimSpace(value) == "" {
		return nil, usagef("%s: --roles is required: the roles the organisation's users and tokens may hold, "+
			"e.g. --roles partner for a platform, --roles investigator,victim_id,admin for a police unit", cmd)
	}
	if strings.TrimSpace(value) == "none" && allowNone {
		return []auth.Role{}, nil
	}
	roles, err := auth.ParseRoles(value)
	if err == nil && len(roles) == 0 {
		err = errors.New("no role named")
	}
	if err != nil {
		return nil, usagef("%s: --roles: %v", cmd, err)
	}
	return roles, nil
}

// rolesText prints an organisation's roles.
func rolesText(rs []auth.Role) string {
	if len(rs) == 0 {
		return "none"
	}
	return auth.FormatRoles(rs)
}

func newAdminCreateOrgCmd(s streams, cfg *config) *cobra.Command {
	var display, roles string
	cmd := &cobra.Command{
		Use:   "create-org NAME --roles ROLES",
		Short: "Create an organisation (NAME is the short name banks are shared with)",
		Long: `Create an organisation. --roles bounds the roles its users and API tokens may hold,
also those its own administrators create in the web: a platform's administrator cannot
create an investigator or victim_id account. Change it later with set-org-roles.`,
		Example: `  haven admin create-org hotline --display "National Hotline" --roles hotline_analyst,admin
  haven admin create-org platform-a --roles partner`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rs, err := parseRolesFlag("create-org", roles, false)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				o, err := env.auth.CreateOrg(ctx, args[0], display, rs...)
				if err = env.record(ctx, "org.create", "org:"+args[0], err, "roles "+rolesText(rs)); err != nil {
					return err
				}
				fmt.Fprintf(s.out, "created organisation %s (%s), roles: %s\n", o.Name, o.Display, rolesText(o.Roles))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&display, "display", "", "display name (default: NAME)")
	cmd.Flags().StringVar(&roles, "roles", "", rolesHelp)
	return cmd
}

func newAdminSetOrgRolesCmd(s streams, cfg *config) *cobra.Command {
	var roles string
	cmd := &cobra.Command{
		Use:   "set-org-roles NAME --roles ROLES",
		Short: "Set the roles an organisation's users and tokens may hold",
		Long: `Set the roles an organisation's users and API tokens may hold. A role that an active
user or a live token still holds cannot be taken away: disable or change those users and
revoke those tokens first (the error names them).`,
		Example: `  haven admin set-org-roles platform-a --roles partner,admin`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rs, err := parseRolesFlag("set-org-roles", roles, true)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				o, err := env.auth.SetOrgRoles(ctx, args[0], rs)
				if err = env.record(ctx, "org.set_roles", "org:"+args[0], err, "roles "+rolesText(rs)); err != nil {
					return err
				}
				fmt.Fprintf(s.out, "organisation %s may hold: %s\n", o.Name, rolesText(o.Roles))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&roles, "roles", "", rolesHelp+` (or "none": no accounts)`)
	return cmd
}

func newAdminListOrgsCmd(s streams, cfg *config) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list-orgs",
		Short: "List organisations",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withAdmin(ctx, cfg, func(env adminEnv) error {
				orgs, err := env.auth.ListOrgs(ctx)
				if err = env.record(ctx, "org.list", "", err); err != nil {
					return err
				}
				if asJSON {
					return writeJSON(s.out, orgs)
				}
				tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tDISPLAY\tROLES\tCREATED")
				for _, o := range orgs {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.Name, o.Display, rolesText(o.Roles), o.CreatedAt.Format(time.DateTime))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// readPassword returns the first line of r, without its line end.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("--password-stdin: standard input holds no password")
	}
	return line, nil
}

// passwordFor returns the password from standard input when fromStdin,
// or a generated one, and whether it was generated.
func passwordFor(s streams, fromStdin bool) (string, bool, error) {
	if fromStdin {
		p, err := readPassword(s.in)
		return p, false, err
	}
	return auth.GeneratePassword(), true, nil
}
