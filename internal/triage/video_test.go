package triage

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/vpdq"
)

// ffmpegOrSkip skips a test without ffmpeg (CI installs it: there it fails).
func ffmpegOrSkip(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ffmpeg not found (Debian: apt-get install -y ffmpeg)")
		}
		t.Skip("ffmpeg not found; skipping the video tests")
	}
}

// ffmpeg runs ffmpeg quietly with args, writing out.
func ffmpeg(t *testing.T, out string, args ...string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ffmpeg", append(append([]string{"-nostdin", "-v", "error", "-y"}, args...), out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v: %s", args, err, b)
	}
}

// TestVideos triages generated videos: a clip and a rescaled re-encode of
// it (one near-duplicate cluster), a copy inside a zip (stacked with the
// clip), a video whose vPDQ is in a bank (near-known, with segments in the
// VICS export), and a damaged, an empty and an audio-only file with their
// reasons.
func TestVideos(t *testing.T) {
	ffmpegOrSkip(t)
	ctx := context.Background()
	in, out, opt := videoFixture(t)
	res, err := RunCollected(t, ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkVideos(t, res, in, out)
}

// videoFixture builds the videos of TestVideos and a store whose bank holds
// the vPDQ of one of them.
func videoFixture(t *testing.T) (in, out string, opt Options) {
	ctx := context.Background()
	dir := t.TempDir()
	in = filepath.Join(dir, "in")
	clip := filepath.Join(in, "clip.mp4")
	ffmpeg(t, clip, "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10:duration=6", "-pix_fmt", "yuv420p", "-c:v", "mpeg4", "-q:v", "4")
	ffmpeg(t, filepath.Join(in, "clip-small.mp4"), "-i", clip, "-vf", "scale=160:120", "-c:v", "mpeg4", "-q:v", "8")
	banked := filepath.Join(dir, "banked-source.mp4")
	ffmpeg(t, banked, "-f", "lavfi", "-i", "mandelbrot=size=320x240:rate=10", "-t", "6", "-pix_fmt", "yuv420p", "-c:v", "mpeg4", "-q:v", "3")
	ffmpeg(t, filepath.Join(in, "seized-copy.mp4"), "-i", banked, "-c:v", "mpeg4", "-q:v", "9")
	ffmpeg(t, filepath.Join(in, "audio.mp4"), "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac")
	data, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(in, "archive.zip"), zipOf(t, [][2]any{{"inner/clip.mp4", data}}))
	corrupt := append(append([]byte{}, data[:64]...), make([]byte, 4096)...)
	writeFile(t, filepath.Join(in, "corrupt.mp4"), corrupt)
	writeFile(t, filepath.Join(in, "empty.mp4"), nil)

	db, err := store.Open(ctx, filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	v, err := vpdq.HashFile(ctx, banked, vpdq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := bank.NewService(db)
	if _, err := svc.Create(ctx, bank.Bank{Name: "videos", Kind: bank.Positive}); err != nil {
		t.Fatal(err)
	}
	cat, _ := bank.NewCategory(bank.SchemeVICSUS, "2")
	es := entries{{Signal: signal.Signal{Kind: signal.VPDQ, Value: vpdq.FormatSignal(v.Frames)}, Category: cat, Series: "V1"}}
	if _, err := svc.Import(ctx, "videos", &es, bank.ImportOptions{AddedBy: "test"}); err != nil {
		t.Fatal(err)
	}

	out = filepath.Join(dir, "out")
	return in, out, Options{Inputs: []string{in}, OutDir: out, Store: db, Workers: 2}
}

func checkVideos(t *testing.T, res *Collected, in, out string) {
	want := map[string]struct {
		v   Verdict
		why string
	}{
		"clip.mp4":                    {New, ""},
		"clip-small.mp4":              {New, ""},
		"archive.zip!/inner/clip.mp4": {New, ""},
		"seized-copy.mp4":             {NearKnown, ""},
		"audio.mp4":                   {Unreadable, "no video stream"},
		"corrupt.mp4":                 {Unreadable, "damaged or unsupported video"},
		"empty.mp4":                   {Unreadable, "empty file"},
		"archive.zip":                 {NotMedia, ""},
	}
	byName := map[string]*File{}
	for _, f := range res.Files {
		name := strings.TrimPrefix(f.Path, in+"/")
		byName[name] = f
		w, ok := want[name]
		if !ok {
			t.Errorf("unexpected %s", name)
			continue
		}
		if f.Verdict != w.v || !strings.Contains(f.Why, w.why) {
			t.Errorf("%s: %s (%s), want %s (%s)", name, f.Verdict, f.Why, w.v, w.why)
		}
	}
	c := byName["clip.mp4"]
	if c == nil || !c.Video || c.VPDQ == "" || c.Width != 320 || c.Duration < 5 || len(c.Stills) != len(StillPositions) {
		t.Fatalf("clip.mp4 facts %+v", c)
	}
	for _, s := range c.Stills {
		if fi, err := os.Stat(filepath.Join(out, s)); err != nil || fi.Size() == 0 {
			t.Errorf("still %s: %v", s, err)
		}
	}
	if z := byName["archive.zip!/inner/clip.mp4"]; z == nil || z.VPDQ != c.VPDQ {
		t.Errorf("the zipped copy was not hashed like the clip")
	}
	k := byName["seized-copy.mp4"]
	if len(k.Matches) != 1 || k.Matches[0].Kind != "vpdq" || k.Matches[0].Series != "V1" || len(k.Matches[0].Segments) == 0 {
		t.Errorf("seized-copy.mp4 matches %+v", k.Matches)
	}
	// The clip, its zipped copy (stacked) and its rescaled copy form one
	// group of two new media that look alike.
	var g *Group
	for _, x := range res.Groups {
		for _, m := range x.Media {
			if m.SHA256 == c.SHA256 {
				g = x
			}
		}
	}
	if g == nil || len(g.Media) != 2 || g.Kind != Series {
		t.Errorf("clip group %+v", g)
	}
	for _, m := range g.Media {
		if m.SHA256 == c.SHA256 && m.NFiles != 2 {
			t.Errorf("clip stacked over %d files, want 2", m.NFiles)
		}
	}
}

// TestVideoHashList matches a video against a vPDQ entry that arrives in a
// hash-list file (pytx's "vpdq <HMA JSON array>" line) rather than a bank.
func TestVideoHashList(t *testing.T) {
	ffmpegOrSkip(t)
	ctx := context.Background()
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	banked := filepath.Join(dir, "listed.mp4")
	ffmpeg(t, banked, "-f", "lavfi", "-i", "mandelbrot=size=320x240:rate=10", "-t", "6", "-pix_fmt", "yuv420p", "-c:v", "mpeg4", "-q:v", "3")
	ffmpeg(t, filepath.Join(in, "copy.mp4"), "-i", banked, "-c:v", "mpeg4", "-q:v", "9")
	ffmpeg(t, filepath.Join(in, "other.mp4"), "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10:duration=6", "-pix_fmt", "yuv420p", "-c:v", "mpeg4")
	v, err := vpdq.HashFile(ctx, banked, vpdq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "list.txt")
	writeFile(t, list, []byte("vpdq "+vpdq.FormatHMA(v.Frames)+"\n"))

	res, err := RunCollected(t, ctx, Options{Inputs: []string{in}, OutDir: filepath.Join(dir, "out"), Hashes: []string{list}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		name := filepath.Base(f.Path)
		switch {
		case name == "copy.mp4" && (f.Verdict != NearKnown || len(f.Matches) != 1 || f.Matches[0].Source != "file:list.txt" || f.Matches[0].QueryPercent < 80):
			t.Errorf("copy.mp4: %s %+v, want near-known through file:list.txt", f.Verdict, f.Matches)
		case name == "other.mp4" && f.Verdict != New:
			t.Errorf("other.mp4: %s %+v, want new", f.Verdict, f.Matches)
		}
	}
}
