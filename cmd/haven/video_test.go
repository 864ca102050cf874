package main

import (
	"crypto/md5"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/signal"
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
	for _, want := range []string{"audio.m4a: ", "empty.mp4: empty file (0 bytes)", "truncated.mp4: "} {
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

// genVideo writes a video made by ffmpeg with args to dir/name.
func genVideo(t *testing.T, ffmpeg, dir, name string, args ...string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command(ffmpeg, append(append([]string{"-loglevel", "error", "-y"}, args...), out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", name, err, b)
	}
	return out
}

// TestMatchVideos is issue #7's done-when check through the bank and the
// index: a video hashed by 'haven hash' is imported into a bank; its
// re-encoded, scaled, trimmed and clipped copies match it, an unrelated
// video does not, the file itself matches by MD5 as well, and the hash
// file is a query too.
func TestMatchVideos(t *testing.T) {
	ffmpeg := ffmpegOrSkip(t)
	dir := t.TempDir()
	src := genVideo(t, ffmpeg, dir, "source.mp4", "-f", "lavfi", "-i", "testsrc2=size=192x144:rate=10:duration=8", "-pix_fmt", "yuv420p")
	copies := map[string]string{
		"reencoded": genVideo(t, ffmpeg, dir, "reencoded.mkv", "-i", src, "-c:v", "libx264", "-crf", "38", "-pix_fmt", "yuv420p"),
		"scaled":    genVideo(t, ffmpeg, dir, "scaled.mp4", "-i", src, "-vf", "scale=128:96", "-pix_fmt", "yuv420p"),
		"trimmed":   genVideo(t, ffmpeg, dir, "trimmed.mp4", "-ss", "3", "-i", src, "-pix_fmt", "yuv420p"),
		"clipped":   genVideo(t, ffmpeg, dir, "clipped.mp4", "-i", src, "-t", "4", "-pix_fmt", "yuv420p"),
	}
	unrelated := genVideo(t, ffmpeg, dir, "unrelated.mp4", "-f", "lavfi", "-i", "mandelbrot=size=192x144:rate=10", "-t", "6", "-pix_fmt", "yuv420p")

	data := t.TempDir()
	haven := func(args ...string) (int, string, string) {
		return runHaven(t, "", append([]string{"--data", data}, args...)...)
	}
	code, list, errOut := runHaven(t, "", "hash", src)
	if code != exitOK || strings.Count(list, "#t=") != 8 {
		t.Fatalf("hash: exit %d\n%s%s", code, list, errOut)
	}
	listFile := filepath.Join(dir, "source.txt")
	writeFile(t, listFile, []byte(list))
	// The bank gets the video's vPDQ hash and its MD5 from the JSON lines
	// (the text lines carry the frames only).
	code, jsonl, errOut := runHaven(t, "", "hash", "--format", "json", src)
	if code != exitOK {
		t.Fatalf("hash --format json: exit %d\n%s", code, errOut)
	}
	jsonFile := filepath.Join(dir, "source.jsonl")
	writeFile(t, jsonFile, []byte(jsonl))
	for _, args := range [][]string{{"bank", "create", "videos"}, {"bank", "import", "videos", jsonFile}} {
		if code, out, errOut := haven(args...); code != exitOK || args[1] == "import" && !strings.Contains(out+errOut, "4 added") {
			t.Fatalf("%v: exit %d %s%s", args, code, out, errOut)
		}
	}

	inputs := []string{src, unrelated, listFile}
	for _, p := range copies {
		inputs = append(inputs, p)
	}
	code, out, errOut := haven(append([]string{"match", "--format", "json"}, inputs...)...)
	if code != exitOK {
		t.Fatalf("match: exit %d\n%s%s", code, out, errOut)
	}
	results := map[string]matchResult{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r matchResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		results[r.Input] = r
	}
	videoHit := func(input string) *videoView {
		for _, s := range results[input].Signals {
			if s.Kind == signal.VPDQ && len(s.Matches) > 0 {
				return s.Matches[0].Video
			}
		}
		return nil
	}
	if v := videoHit(src); v == nil || v.QueryPercent != 100 || v.ComparedPercent != 100 {
		t.Errorf("source: %+v", v)
	}
	if v := videoHit(listFile + ":" + src); v == nil || v.QueryPercent != 100 {
		t.Errorf("hash file: %+v", v)
	}
	whole, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	exact := false
	for _, s := range results[src].Signals {
		exact = exact || s.Kind == signal.MD5 && s.Value == fmt.Sprintf("%x", md5.Sum(whole)) && len(s.Matches) == 1
	}
	if !exact {
		t.Errorf("source not matched by MD5: %+v", results[src])
	}
	for name, p := range copies {
		v := videoHit(p)
		if v == nil || v.QueryPercent < 80 {
			t.Errorf("%s copy: %+v", name, v)
			continue
		}
		t.Logf("%s: query %.0f%%, compared %.0f%%, segments %v / %v", name, v.QueryPercent, v.ComparedPercent, v.QuerySegments, v.ComparedSegments)
	}
	// The trimmed copy starts 3 s in: its match covers the source's 3-7 s.
	if v := videoHit(copies["trimmed"]); v != nil && (len(v.ComparedSegments) != 1 || v.ComparedSegments[0].Start != 3) {
		t.Errorf("trimmed copy's segment in the source: %+v", v.ComparedSegments)
	}
	if v := videoHit(unrelated); v != nil {
		t.Errorf("unrelated video matched: %+v", v)
	}

	// Text output: percentages and segments.
	_, out, _ = haven("match", copies["clipped"])
	if !strings.Contains(out, "\tvpdq\tmatch\t") || !strings.Contains(out, "compared_percent=50.0") || !strings.Contains(out, "compared_segments=0.000-3.000") {
		t.Errorf("text output:\n%s", out)
	}
	// Thresholds: the clip is half of the source.
	if _, out, _ = haven("match", "--min-compared-percent", "80", copies["clipped"]); !strings.Contains(out, "no match") {
		t.Errorf("--min-compared-percent 80 kept the clip:\n%s", out)
	}
}

// TestVideoFileErrors checks the per-file errors of a corrupt video, an
// empty file and an audio-only file in 'haven hash' and 'haven match'.
func TestVideoFileErrors(t *testing.T) {
	ffmpeg := ffmpegOrSkip(t)
	dir := t.TempDir()
	clip := genVideo(t, ffmpeg, dir, "clip.mp4", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=5:duration=1", "-pix_fmt", "yuv420p")
	genVideo(t, ffmpeg, dir, "audio.m4a", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac")
	whole, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(clip); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "empty.mp4"), nil)
	writeFile(t, filepath.Join(dir, "corrupt.mp4"), whole[:len(whole)/3])
	want := []string{
		"empty.mp4: empty file (0 bytes)",
		"audio.m4a: no video stream (audio only?)",
		"corrupt.mp4: corrupt or unreadable video: ",
	}
	for _, cmd := range [][]string{{"hash"}, {"--data", t.TempDir(), "match"}} {
		code, out, errOut := runHaven(t, "", append(cmd, dir)...)
		if code != exitPartial {
			t.Errorf("%v: exit %d", cmd, code)
		}
		for _, w := range want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: standard error lacks %q:\n%s", cmd, w, errOut)
			}
		}
		if cmd[0] == "hash" && out != "" {
			t.Errorf("hash printed hashes of broken files:\n%s", out)
		}
	}
}

// TestVideoBankRoundTrip exports a bank's vPDQ entry in every format that
// carries video hashes, imports each export into a new bank, and finds the
// video in all of them.
func TestVideoBankRoundTrip(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	haven := func(args ...string) string {
		t.Helper()
		code, out, errOut := runHaven(t, "", append([]string{"--data", data}, args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		return out + errOut
	}
	var list strings.Builder
	for i, h := range []string{"e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c",
		"c8feb0fc73910f830fc6307cf039e7030fc61b9cf8717cf00fce00070003fffe",
		"4de4be27bac5c7946af3ac061dea8798275e6abcd1428b8491e4c34ecb5362e8"} {
		fmt.Fprintf(&list, "%s,90,clip.mp4#t=%d.000\n", h, i)
	}
	listFile := filepath.Join(dir, "clip.txt")
	writeFile(t, listFile, []byte(list.String()))
	haven("bank", "create", "videos")
	haven("bank", "import", "videos", listFile)
	formats := []string{"pytx", "vics", "tecsv", "havenhash"}
	for _, f := range formats {
		out := filepath.Join(dir, "export."+f)
		haven("bank", "export", "videos", "--format", f, "-o", out)
		haven("bank", "create", "from-"+f)
		if got := haven("bank", "import", "from-"+f, "--format", f, out); !strings.Contains(got, "1 records, 1 added") {
			t.Errorf("%s: %s", f, got)
		}
	}
	out := haven("match", listFile)
	for _, b := range append([]string{"videos"}, formats...) {
		if b != "videos" {
			b = "from-" + b
		}
		if !strings.Contains(out, "bank="+b+" ") || !strings.Contains(out, "query_percent=100.0") {
			t.Errorf("no full match in %s:\n%s", b, out)
		}
	}
	if got := haven("bank", "export", "videos", "--format", "plain"); !strings.Contains(got, "skipped 1 vpdq entries") {
		t.Errorf("plain export: %s", got)
	}
}
