//go:build unix

package ingest

import "os"

// createTemp creates a temporary file and unlinks it at once: it lives as
// long as it is open, and a crash leaves no seized material behind.
func createTemp(dir string) (*os.File, string, error) {
	f, err := os.CreateTemp(dir, "haven-ingest-*")
	if err != nil {
		return nil, "", err
	}
	if err := os.Remove(f.Name()); err != nil {
		return f, f.Name(), nil // removed when freed instead
	}
	return f, "", nil
}
