// Package layering holds a test of the project's package layering: leaf
// packages (hashing, indexing, decoding) stay free of Haven's domain so that
// they can be reused and reasoned about alone, and domain packages stay free
// of HTTP so that the web layer is the only one that speaks it.
package layering

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/havenproject/haven"

// leaves may import only the module packages listed for them.
var leaves = map[string][]string{
	"pdq":                 nil,
	"hamming":             nil,
	"internal/signal":     {"pdq"},
	"internal/media/...":  {"internal/media", "internal/jpeg"},
	"internal/jpeg":       nil,
	"internal/media/yuv":  nil,
	"internal/sharedtest": nil,
}

// domain packages must not import net/http.
var domain = []string{"internal/bank/...", "internal/filehash", "internal/ingest", "internal/match", "internal/store/...", "internal/signal", "internal/media/..."}

// deps lists the packages pattern matches, each with its dependencies
// (field "Deps", all of them) or its direct imports ("Imports").
func deps(t *testing.T, pattern, field string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}:{{join ."+field+" \" \"}}", "./"+pattern).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, ds, ok := strings.Cut(line, ":")
		if !ok || pkg == "" {
			continue
		}
		m[pkg] = strings.Fields(ds)
	}
	return m
}

func TestLeavesImportNoDomain(t *testing.T) {
	t.Chdir("../..")
	for pattern, allowed := range leaves {
		for pkg, ds := range deps(t, pattern, "Deps") {
			for _, d := range ds {
				rel, ok := strings.CutPrefix(d, module+"/")
				if !ok {
					continue
				}
				if strings.HasPrefix(pkg, module+"/"+strings.TrimSuffix(pattern, "/...")) && strings.HasPrefix(rel, strings.TrimSuffix(pattern, "/...")) {
					continue // its own subpackages
				}
				if !allowedDep(rel, allowed) {
					t.Errorf("%s imports %s; leaf packages may import only %v", pkg, d, allowed)
				}
			}
		}
	}
}

func allowedDep(rel string, allowed []string) bool {
	for _, a := range allowed {
		if rel == a || strings.HasPrefix(rel, a+"/") {
			return true
		}
	}
	return false
}

func TestDomainImportsNoHTTP(t *testing.T) {
	t.Chdir("../..")
	for _, pattern := range domain {
		// Direct imports only: a third-party archive reader may pull in
		// net/http for features we do not use.
		for pkg, ds := range deps(t, pattern, "Imports") {
			for _, d := range ds {
				if d == "net/http" {
					t.Errorf("%s imports net/http; only the web layer may", pkg)
				}
			}
		}
	}
}
