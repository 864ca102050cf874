package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBankAndMatch runs the bank workflow end to end on a fresh embedded
// database: create banks, import a hash list written by 'haven hash' and a
// VICS file, match files and hashes, withdraw, export.
func TestBankAndMatch(t *testing.T) {
	data := t.TempDir()
	haven := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		return runHaven(t, stdin, append([]string{"--data", data}, args...)...)
	}
	mustRun := func(args ...string) string {
		t.Helper()
		code, out, errOut := haven("", args...)
		if code != exitOK {
			t.Fatalf("haven %v: exit %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	mustRun("bank", "create", "hotline", "--source-org", "hotline", "--share", "police")
	mustRun("bank", "create", "stock", "--negative")

	code, hashes, _ := runHaven(t, "", "hash", "../../testdata/samples")
	if code != exitOK {
		t.Fatalf("hash: exit %d", code)
	}
	list := filepath.Join(t.TempDir(), "list.txt")
	// One malformed line among the good ones: rejected with its position.
	if err := os.WriteFile(list, []byte(hashes+"xyz,100,broken.jpg\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := haven("", "bank", "import", "hotline", list)
	if code != exitOK || !strings.Contains(out, "6 records, 5 added, 0 already present, 1 rejected") ||
		!strings.Contains(errOut, "rejected") || !strings.Contains(errOut, "line 6") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	// Importing again adds nothing.
	if out := mustRun("bank", "import", "hotline", list); !strings.Contains(out, "0 added, 5 already present") {
		t.Errorf("re-import: %s", out)
	}
	vics := "../../internal/bank/formats/testdata/nsrl-caid-vics-1.2-media-mov.json"
	if _, err := os.Stat(vics); err != nil {
		vics = "../../../shared/testdata/formats/vics/nsrl-caid-vics-1.2-media-mov.json"
	}
	if _, err := os.Stat(vics); err == nil {
		if out := mustRun("bank", "import", "stock", vics); !strings.Contains(out, "(vics)") {
			t.Errorf("vics import: %s", out)
		}
	}

	// The rotated copy matches the castle only through the dihedral hashes.
	rot := filepath.Join(t.TempDir(), "rot.png")
	writeRotated(t, "../../testdata/samples/castle-maintenon.jpg", rot)
	if out := mustRun("match", rot); !strings.Contains(out, "no match") {
		t.Errorf("rotated without --dihedral: %s", out)
	}
	if out := mustRun("match", "--dihedral", rot); !strings.Contains(out, "bank=hotline") || !strings.Contains(out, "transform=rot") {
		t.Errorf("rotated with --dihedral: %s", out)
	}

	out = mustRun("match", "--format", "json", "../../testdata/samples/bridge.jpg")
	var r matchResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Signals) != 4 || r.Signals[3].Kind != "pdq" || len(r.Signals[3].Matches) != 1 || r.Signals[3].Matches[0].Distance != 0 {
		t.Fatalf("json match: %s", out)
	}

	const bridge = "pdq:d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"
	mustRun("bank", "withdraw", "hotline", "--hash", bridge, "--reason", "test withdrawal", "--by", "tester")
	if out := mustRun("match", bridge); !strings.Contains(out, "no match") {
		t.Errorf("after withdrawal: %s", out)
	}
	out = mustRun("bank", "show", "hotline", "--json")
	var v bankView
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Stats == nil || v.Stats.Active != 4 || v.Stats.Withdrawn != 1 {
		t.Fatalf("show: %v\n%s", err, out)
	}
	out = mustRun("bank", "export", "hotline", "--format", "pytx")
	if strings.Count(out, "\n") != 4 || !strings.HasPrefix(out, "pdq ") {
		t.Errorf("export: %q", out)
	}

	// Errors: unknown bank, unknown format, ambiguous bare hash.
	if code, _, errOut := haven("", "bank", "import", "nope", list); code == exitOK || !strings.Contains(errOut, "nope") {
		t.Errorf("import into a missing bank: exit %d %s", code, errOut)
	}
	if code, _, _ := haven("", "bank", "export", "hotline", "--format", "xml"); code != exitUsage {
		t.Errorf("export --format xml: exit %d", code)
	}
	if code, _, errOut := haven("", "match", strings.Repeat("ab", 32)); code != exitUsage || !strings.Contains(errOut, "sha256 or pdq") {
		t.Errorf("ambiguous hash: exit %d %s", code, errOut)
	}
}
