package match

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/vpdq"
)

// TestRealVideosIndexEqualsCompare hashes ffmpeg-generated videos and
// checks the index's hits against vpdq.Compare of the query with every
// bank video: copies of a bank video match it, an unrelated one does not.
func TestRealVideosIndexEqualsCompare(t *testing.T) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ffmpeg is required in CI")
		}
		t.Skip("ffmpeg not installed; skipping video tests")
	}
	dir := t.TempDir()
	hash := func(name string, args ...string) []vpdq.Frame {
		t.Helper()
		out := filepath.Join(dir, name)
		cmd := exec.Command(ffmpeg, append(append([]string{"-loglevel", "error", "-y"}, args...), out)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg %s: %v\n%s", name, err, b)
		}
		res, err := vpdq.HashFile(t.Context(), out, vpdq.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Frames
	}
	src := hash("src.mp4", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=6", "-pix_fmt", "yuv420p")
	fractal := hash("fractal.mp4", "-f", "lavfi", "-i", "mandelbrot=size=160x120:rate=10", "-t", "5", "-pix_fmt", "yuv420p")
	srcPath := filepath.Join(dir, "src.mp4")
	queries := map[string][]vpdq.Frame{
		"scaled":    hash("scaled.mp4", "-i", srcPath, "-vf", "scale=112:84", "-pix_fmt", "yuv420p"),
		"reencoded": hash("reencoded.mp4", "-i", srcPath, "-crf", "40", "-pix_fmt", "yuv420p"),
		"trimmed":   hash("trimmed.mp4", "-ss", "2", "-i", srcPath, "-pix_fmt", "yuv420p"),
		"unrelated": hash("unrelated.mp4", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=4", "-pix_fmt", "yuv420p"),
	}
	x := New()
	for _, b := range []Bank{{ID: 1, Name: "a", Kind: bank.Positive}, {ID: 2, Name: "b", Kind: bank.Positive, VPDQThreshold: 20}} {
		if err := x.SetBank(b); err != nil {
			t.Fatal(err)
		}
	}
	bankVideos := []Entry{{ID: 1, BankID: 1, Signal: videoSignal(src)}, {ID: 2, BankID: 1, Signal: videoSignal(fractal)},
		{ID: 3, BankID: 2, Signal: videoSignal(src)}}
	if err := x.AddBatch(bankVideos); err != nil {
		t.Fatal(err)
	}
	for name, q := range queries {
		got := x.Lookup(VideoQuery(q))
		var want []Hit
		for _, e := range bankVideos {
			frames, _ := vpdq.ParseSignal(e.Signal.Value)
			opt := VideoOptions
			opt.Distance = map[int64]int{1: 31, 2: 20}[e.BankID]
			c, err := vpdq.Compare(q, frames, opt)
			if err != nil {
				t.Fatal(err)
			}
			if c.QueryMatched > 0 {
				want = append(want, Hit{BankID: e.BankID, BankName: map[int64]string{1: "a", 2: "b"}[e.BankID], EntryID: e.ID, Video: &c})
			}
		}
		want = Suppress(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, describeHits(got), describeHits(want))
		}
		matchedSrc := len(got) > 0 && got[0].EntryID != 2 && got[0].Video.QueryPercent >= 80
		if matchedSrc == (name == "unrelated") {
			t.Errorf("%s: hits %s", name, describeHits(got))
		}
		t.Logf("%s: %s", name, describeHits(got))
	}
}
