package record

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.md")
	steps := []struct {
		name, body, want string
	}{
		{"a", "one", "# B\n\n<!-- begin a -->\none\n<!-- end a -->\n"},
		{"b", "two\n", "# B\n\n<!-- begin a -->\none\n<!-- end a -->\n\n<!-- begin b -->\ntwo\n<!-- end b -->\n"},
		{"a", "three", "# B\n\n<!-- begin a -->\nthree\n<!-- end a -->\n\n<!-- begin b -->\ntwo\n<!-- end b -->\n"},
	}
	for i, s := range steps {
		if err := Replace(path, s.name, s.body, "# B\n"); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != s.want {
			t.Errorf("step %d: file\n%s\nwant\n%s", i, b, s.want)
		}
	}
}

func TestAppend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "runs.md")
	for _, s := range []string{"run 1\n", "run 2\n"} {
		if err := Append(path, s); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "run 1\nrun 2\n" {
		t.Errorf("file %q", b)
	}
}

func TestCommandAndStamp(t *testing.T) {
	got := Command("vpdq", []string{"-hash", "480p", "-out", "", "-x", "a b"})
	if want := `go run ./bench/vpdq -hash 480p -out "" -x "a b"`; got != want {
		t.Errorf("Command = %s, want %s", got, want)
	}
	if s := Stamp(got); !strings.Contains(s, "cores") || !strings.Contains(s, "`"+got+"`") {
		t.Errorf("Stamp = %q", s)
	}
}
