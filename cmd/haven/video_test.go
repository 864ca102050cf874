package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ffmpegOrSkip returns the ffmpeg binary, skipping the test where it is
// absent (and failing in CI, where .ci/run installs it).
func ffmpegOrSkip(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ffmpeg is required in CI")
		}
		t.Skip("ffmpeg not installed; skipping video tests")
	}
	return bin
}

func TestHashVideos(t *testing.T) {
	ffmpeg := ffmpegOrSkip(t)
	dir := t.TempDir()
	gen := func(name string, args ...string) string {
		t.Helper()
		out := filepath.Join(dir, name)
		cmd := exec.Command(ffmpeg, append(append([]string{"-loglevel", "error", "-y"}, args...), out)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg %s: %v\n%s", name, err, b)
		}
		return out
	}
	clip := gen("clip.mp4", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=3", "-pix_fmt", "yuv420p")
	gen("audio.m4a", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac")
	whole, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "empty.mp4"), nil)
	writeFile(t, filepath.Join(dir, "truncated.mp4"), whole[:len(whole)/3])

	code, stdout, stderr := runHaven(t, "", "hash", dir)
	if code != exitPartial {
		t.Errorf("exit %d", code)
	}
	// Three seconds at one frame a second: frames at 0, 1 and 2 s.
	for _, want := range []string{"clip.mp4#t=0.000", "clip.mp4#t=1.000", "clip.mp4#t=2.000"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %s:\n%s", want, stdout)
		}
	}
	if n := strings.Count(stdout, "\n"); n != 3 {
		t.Errorf("%d lines, want 3:\n%s", n, stdout)
	}
	for _, want := range []string{"audio.m4a: ", "empty.mp4: not an image (empty file)", "truncated.mp4: "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	t.Logf("per-file errors:\n%s", stderr)

	// Every frame when asked.
	if _, stdout, _ := runHaven(t, "", "hash", "--video-fps", "0", clip); strings.Count(stdout, "\n") != 30 {
		t.Errorf("--video-fps 0: %d lines, want 30", strings.Count(stdout, "\n"))
	}
}

// TestMatchVideoNotAsImage checks that a video is not looked up by a PDQ
// hash it does not have: a zero hash would match degenerate bank entries.
func TestMatchVideoNotAsImage(t *testing.T) {
	ffmpeg := ffmpegOrSkip(t)
	dir := t.TempDir()
	clip := filepath.Join(dir, "clip.mp4")
	cmd := exec.Command(ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=5:duration=1", "-pix_fmt", "yuv420p", clip)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, b)
	}
	data := t.TempDir()
	list := filepath.Join(dir, "zero.txt")
	writeFile(t, list, []byte("pdq "+strings.Repeat("0", 64)+"\n"))
	for _, args := range [][]string{{"bank", "create", "b"}, {"bank", "import", "b", list}} {
		if code, out, errOut := runHaven(t, "", append([]string{"--data", data}, args...)...); code != exitOK {
			t.Fatalf("%v: exit %d %s%s", args, code, out, errOut)
		}
	}
	code, out, _ := runHaven(t, "", "--data", data, "match", clip)
	if code != exitOK || !strings.Contains(out, "no match") {
		t.Errorf("video matched a zero PDQ hash: exit %d\n%s", code, out)
	}
}
