//go:build !unix

package ingest

import "os"

// createTemp creates a temporary file, removed when its storage is freed
// (an open file cannot be unlinked here).
func createTemp(dir string) (*os.File, string, error) {
	f, err := os.CreateTemp(dir, "haven-ingest-*")
	if err != nil {
		return nil, "", err
	}
	return f, f.Name(), nil
}
