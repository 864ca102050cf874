package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTriageCommand(t *testing.T) {
	data, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	in := filepath.Join("..", "..", "testdata", "samples")
	code, stdout, stderr := runHaven(t, "", "--data", data, "triage", "--progress", "none",
		"--case", "c1", "--seizure", "s1", "-o", out, in)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "seizure score") || !strings.Contains(stdout, "report: ") {
		t.Errorf("summary: %s", stdout)
	}
	for _, name := range []string{"report.html", "results.json", "media.csv", "vics.json", "journal.jsonl"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
	// The same output directory again needs --resume; with it, nothing is
	// hashed again.
	if code, _, stderr := runHaven(t, "", "--data", data, "triage", "--progress", "none", "-o", out, in); code != exitUsage {
		t.Errorf("second run without --resume: exit %d (%s), want %d", code, stderr, exitUsage)
	}
	code, stdout, stderr = runHaven(t, "", "--data", data, "triage", "--progress", "none", "--resume", "-o", out, in)
	if code != exitOK || !strings.Contains(stdout, "resumed from the journal") || strings.Contains(stdout, "(0 resumed") {
		t.Errorf("resume: exit %d, %s %s", code, stdout, stderr)
	}
}

func TestTriageUsage(t *testing.T) {
	for _, args := range [][]string{
		{"triage", "-o", "x"},
		{"triage", "somewhere"},
		{"triage", "--case", "c", "-o", "x", "somewhere"},
	} {
		if code, _, _ := runHaven(t, "", append([]string{"--data", t.TempDir()}, args...)...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}
