// Package sharedtest locates the project's shared test material, the
// read-only ../shared folder that sits beside the repository on developer
// machines and in CI. Tests that need it skip, with a message, where it is
// absent.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared folder: $HAVEN_SHARED if set, else ../shared next to
// the module root. It skips the test when the folder (or the given
// sub-path) does not exist.
func Dir(tb testing.TB, sub ...string) string {
	tb.Helper()
	dir := os.Getenv("HAVEN_SHARED")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			tb.Skipf("shared test data: cannot find module root: %v", err)
		}
		dir = filepath.Join(root, "..", "shared")
	}
	dir = filepath.Join(append([]string{dir}, sub...)...)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("shared test data not present (%v); set HAVEN_SHARED or place it at ../shared", err)
	}
	return dir
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
