package vpdq

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/sharedtest"
	"github.com/havenproject/haven/pdq"
)

// referenceVideo is one line of the shared corpus's videos.jsonl.
type referenceVideo struct {
	Video      string `json:"video"`
	EveryFrame string `json:"expected_every_frame"`
	Every128   string `json:"expected_every_frame_128x128"`
	OnePerSec  string `json:"expected_one_per_second"`
}

func referenceVideos(t *testing.T, dir string) []referenceVideo {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "videos.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []referenceVideo
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var v referenceVideo
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// frameStats summarises per-frame agreement of two hash lists.
type frameStats struct {
	frames, identical, maxDist, sumDist int
	good, goodMax                       int // frames of reference quality ≥ 50
}

func compareFrames(got, want []Frame) (s frameStats, mismatch string) {
	if len(got) != len(want) {
		return s, fmt.Sprintf("%d frames, reference %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Number != w.Number || fmt.Sprintf("%.3f", g.Timestamp) != fmt.Sprintf("%.3f", w.Timestamp) {
			return s, fmt.Sprintf("frame %d is %d at %.3f s, reference %d at %.3f s", i, g.Number, g.Timestamp, w.Number, w.Timestamp)
		}
		d := pdq.Distance(g.Hash, w.Hash)
		s.frames++
		s.sumDist += d
		s.maxDist = max(s.maxDist, d)
		if g.String() == w.String() {
			s.identical++
		}
		if w.Quality >= pdq.QualityThreshold {
			s.good++
			s.goodMax = max(s.goodMax, d)
		}
	}
	return s, ""
}

// referenceFFmpeg reports whether the installed ffmpeg has the libswscale
// the reference files were made with, so that exact equality is expected.
func referenceFFmpeg(t *testing.T) bool {
	out, err := exec.Command("ffmpeg", "-hide_banner", "-version").Output()
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 4 && f[0] == "libswscale" {
			v := strings.Join(f[1:4], "")
			return v == "6.7.100/"
		}
	}
	return false
}

// TestConformance hashes the shared corpus's videos in the reference's
// three modes and compares frame by frame with the reference's files.
// Frame numbers and timestamps must be equal. With the FFmpeg build the
// files were made with, every line must be equal; with another, frames of
// quality ≥ 50 must stay within PDQ's match distance (31), the tolerance
// ThreatExchange's own regression test uses, because libswscale's colour
// conversion changes between versions. The every-frame mode at full
// resolution is skipped with -short.
func TestConformance(t *testing.T) {
	requireFFmpeg(t)
	dir := sharedtest.Dir(t, "testdata", "vpdq")
	exact := referenceFFmpeg(t)
	t.Logf("ffmpeg with the reference's libswscale 6.7.100: %v (lines must then be identical)", exact)
	modes := []struct {
		name string
		opt  Options
		file func(referenceVideo) string
		long bool
	}{
		{"one-per-second", Options{}, func(v referenceVideo) string { return v.OnePerSec }, false},
		{"every-frame-128x128", Options{EveryFrame: true, Width: 128, Height: 128}, func(v referenceVideo) string { return v.Every128 }, false},
		{"every-frame", Options{EveryFrame: true}, func(v referenceVideo) string { return v.EveryFrame }, true},
	}
	t.Logf("%-32s %-20s %9s %9s %5s %6s %14s", "video", "mode", "frames", "identical", "max", "mean", "max (q >= 50)")
	for _, v := range referenceVideos(t, dir) {
		for _, m := range modes {
			if m.long && testing.Short() {
				continue
			}
			name := strings.TrimSuffix(filepath.Base(v.Video), ".mp4")
			t.Run(name+"/"+m.name, func(t *testing.T) {
				want := readHashFile(t, filepath.Join(dir, m.file(v)))
				res, err := HashFile(context.Background(), filepath.Join(dir, v.Video), m.opt)
				if err != nil {
					t.Fatal(err)
				}
				s, mismatch := compareFrames(res.Frames, want)
				if mismatch != "" {
					t.Fatal(mismatch)
				}
				t.Logf("%-32s %-20s %9d %9d %5d %6.2f %14d", name, m.name, s.frames, s.identical, s.maxDist,
					float64(s.sumDist)/float64(s.frames), s.goodMax)
				if exact && s.identical != s.frames {
					t.Errorf("%d of %d lines differ from the reference with the reference's FFmpeg", s.frames-s.identical, s.frames)
				}
				if s.goodMax > pdq.DefaultMatchThreshold {
					t.Errorf("a frame of quality >= 50 is %d bits from the reference", s.goodMax)
				}
			})
		}
	}
}

// TestUpstreamSampleHashes logs how ThreatExchange's published 2022 hash
// files (older FFmpeg) compare with the reference files made here, the
// drift the tolerance above allows for.
func TestUpstreamSampleHashes(t *testing.T) {
	dir := sharedtest.Dir(t, "testdata", "vpdq")
	for _, v := range referenceVideos(t, dir) {
		name := strings.TrimSuffix(filepath.Base(v.Video), ".mp4")
		for _, m := range []struct{ suffix, file string }{{"", v.EveryFrame}, {"-128x128", v.Every128}} {
			up := filepath.Join(dir, "upstream-sample-hashes", name+m.suffix+".txt")
			if _, err := os.Stat(up); err != nil {
				continue
			}
			s, mismatch := compareFrames(readHashFile(t, up), readHashFile(t, filepath.Join(dir, m.file)))
			if mismatch != "" {
				t.Errorf("%s%s: %s", name, m.suffix, mismatch)
				continue
			}
			t.Logf("%-32s %-10s identical %3d/%3d, max %2d, mean %5.2f, max with quality >= 50: %2d",
				name, m.suffix, s.identical, s.frames, s.maxDist, float64(s.sumDist)/float64(s.frames), s.goodMax)
			if s.goodMax > pdq.DefaultMatchThreshold {
				t.Errorf("%s%s: upstream frame of quality >= 50 is %d bits away", name, m.suffix, s.goodMax)
			}
		}
	}
}

// requireFFmpeg skips the test when ffmpeg or ffprobe is absent.
func requireFFmpeg(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian: apt-get install ffmpeg)", tool)
		}
	}
}
