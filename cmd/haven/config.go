package main

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/havenproject/haven/internal/store"
)

// config is the configuration shared by the commands that use the store,
// from flags with HAVEN_* environment variables as defaults. It is passed
// explicitly, never kept in a package variable.
type config struct {
	dataDir  string
	database string
}

func (c *config) addFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringVar(&c.dataDir, "data", envOr("HAVEN_DATA", defaultDataDir()), "data directory, holding the embedded SQLite database (env HAVEN_DATA)")
	f.StringVar(&c.database, "database", os.Getenv("HAVEN_DATABASE"), "PostgreSQL URL (postgres://...) instead of the embedded database (env HAVEN_DATABASE)")
}

// openStore opens (and migrates) the configured database.
func (c *config) openStore(ctx context.Context) (*store.DB, error) {
	where := c.dataDir
	if c.database != "" {
		where = c.database
	}
	db, err := store.Open(ctx, where)
	if err != nil {
		return nil, err
	}
	return db, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// defaultDataDir follows the XDG base directory convention.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "haven")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "haven")
	}
	return "haven-data"
}

// currentUser names the person running the command, for provenance
// fields (added by, withdrawn by) when no flag says otherwise.
func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

// usagef is fmt.Errorf for usage errors.
func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }
