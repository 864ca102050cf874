package vpdq

import (
	"context"
	"crypto/md5"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Test videos are made with ffmpeg's test sources, small and short so that
// the tests stay fast: testsrc2 (a moving test card) and mandelbrot (an
// unrelated zoom), plus copies of testsrc2 as an uploader would alter it.
var (
	videosOnce sync.Once
	videosDir  string
	videosErr  error
)

type testVideo struct {
	name string
	// args produce the file from the sources; "$a" is replaced by the path
	// of a.mp4, "$out" by the output path.
	args []string
}

var testVideos = []testVideo{
	{"a.mp4", []string{"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=6", "-c:v", "libx264", "-pix_fmt", "yuv420p", "$out"}},
	{"b.mp4", []string{"-f", "lavfi", "-i", "mandelbrot=size=320x240:rate=25", "-t", "6", "-c:v", "libx264", "-pix_fmt", "yuv420p", "$out"}},
	{"a-reencoded.mkv", []string{"-i", "$a", "-c:v", "mpeg4", "-q:v", "12", "$out"}},
	{"a-small.mp4", []string{"-i", "$a", "-vf", "scale=176:144", "-c:v", "libx264", "-crf", "32", "$out"}},
	{"a-large.mp4", []string{"-i", "$a", "-vf", "scale=640:480", "-c:v", "libx264", "$out"}},
	{"a-trimmed.mp4", []string{"-ss", "2", "-i", "$a", "-t", "3", "-c:v", "libx264", "$out"}},
	{"a-trimmed-phase.mp4", []string{"-ss", "2.5", "-i", "$a", "-t", "3", "-c:v", "libx264", "$out"}},
	{"a-cropped.mp4", []string{"-i", "$a", "-vf", "crop=316:236", "-c:v", "libx264", "$out"}},
	{"a-30fps.mp4", []string{"-i", "$a", "-vf", "fps=30", "-c:v", "libx264", "$out"}},
	{"a.h264", []string{"-i", "$a", "-c:v", "copy", "-f", "h264", "$out"}},
	{"sine.m4a", []string{"-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", "$out"}},
	{"cover.png", []string{"-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1", "$out"}},
	{"sine-cover.mp3", []string{"-f", "lavfi", "-i", "sine=duration=2", "-i", "$dir/cover.png", "-map", "0", "-map", "1",
		"-c:v", "png", "-disposition:v", "attached_pic", "-id3v2_version", "3", "$out"}},
}

// videos returns the directory of generated test videos, making them on
// first use; it skips the test without ffmpeg.
func videos(t *testing.T) string {
	t.Helper()
	requireFFmpeg(t)
	videosOnce.Do(func() {
		videosDir, videosErr = os.MkdirTemp("", "vpdq-test-")
		if videosErr != nil {
			return
		}
		for _, v := range testVideos {
			args := []string{"-nostdin", "-v", "error", "-y"}
			for _, a := range v.args {
				a = strings.ReplaceAll(a, "$a", filepath.Join(videosDir, "a.mp4"))
				a = strings.ReplaceAll(a, "$dir", videosDir)
				args = append(args, strings.ReplaceAll(a, "$out", filepath.Join(videosDir, v.name)))
			}
			if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
				videosErr = errors.New("make " + v.name + ": " + err.Error() + ": " + string(out))
				return
			}
		}
		// Damaged and degenerate files.
		a, err := os.ReadFile(filepath.Join(videosDir, "a.mp4"))
		if err != nil {
			videosErr = err
			return
		}
		corrupt := append([]byte(nil), a...)
		for i := len(corrupt) / 3; i < len(corrupt)/3+4000; i++ {
			corrupt[i] ^= 0x5a
		}
		files := map[string][]byte{
			"empty.mp4":     nil,
			"garbage.mp4":   []byte(strings.Repeat("this is not a video\n", 200)),
			"truncated.mp4": a[:len(a)/2],
			"corrupt.mp4":   corrupt,
			// A stream header and no frames.
			"noframes.y4m": []byte("YUV4MPEG2 W320 H240 F25:1 Ip A1:1 C420jpeg\n"),
			"tiny.y4m":     append([]byte("YUV4MPEG2 W4 H4 F25:1 Ip A1:1 C420jpeg\nFRAME\n"), make([]byte, 24)...),
			// A playlist naming a network address: ffmpeg must not fetch it.
			"playlist.m3u8": []byte("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n"),
		}
		for name, data := range files {
			if videosErr = os.WriteFile(filepath.Join(videosDir, name), data, 0o644); videosErr != nil {
				return
			}
		}
	})
	if videosErr != nil {
		t.Fatal(videosErr)
	}
	return videosDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if videosDir != "" {
		os.RemoveAll(videosDir)
	}
	os.Exit(code)
}

func hashTestVideo(t *testing.T, name string, opt Options) *Result {
	t.Helper()
	res, err := HashFile(context.Background(), filepath.Join(videos(t), name), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestCopiesMatch hashes altered copies of a test video and checks that
// each matches its source and not an unrelated video, by Compare and by
// an Index search.
func TestCopiesMatch(t *testing.T) {
	src := hashTestVideo(t, "a.mp4", Options{})
	other := hashTestVideo(t, "b.mp4", Options{})
	if len(src.Frames) != 6 || src.Step != 25 {
		t.Fatalf("a.mp4: %d frames, step %d; want 6 frames, step 25", len(src.Frames), src.Step)
	}
	x, _ := NewIndex(DefaultMatch)
	x.Add(1, src.Frames)
	x.Add(2, other.Frames)
	tests := []struct {
		name       string
		opt        Options // how the copy is hashed
		minQ, minC float64 // percent of the copy's and the source's frames that must match
	}{
		{"a-reencoded.mkv", Options{}, 100, 100},
		{"a-small.mp4", Options{}, 100, 100},
		{"a-large.mp4", Options{}, 100, 100},
		{"a-trimmed.mp4", Options{}, 100, 50},
		// Trimmed half a second off the source's sampling phase: at one
		// frame per second the copy's samples fall between the source's
		// and, on this fast-moving card, match none (see the log). Hashed
		// at every frame, the copy contains the source's samples 75, 100
		// and 125.
		{"a-trimmed-phase.mp4", Options{EveryFrame: true}, 0, 50},
		// 4 pixels off each side. PDQ is not robust to larger crops: 5%
		// per side moves this test card's frames 72-88 bits.
		{"a-cropped.mp4", Options{}, 100, 100},
		{"a-30fps.mp4", Options{}, 100, 100},
		{"a.h264", Options{}, 100, 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cp := hashTestVideo(t, tc.name, tc.opt)
			r, err := Compare(cp.Frames, src.Frames, DefaultMatch)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%-19s %3d frames %dx%d: %5.1f%% of the copy's frames match, %5.1f%% of the source's; segments %v",
				tc.name, len(cp.Frames), cp.Width, cp.Height, r.QueryPercent, r.ComparedPercent, r.ComparedSegments)
			if r.QueryPercent < tc.minQ || r.ComparedPercent < tc.minC {
				t.Errorf("copy matches %.1f%% / %.1f%%, want at least %.0f%% / %.0f%%", r.QueryPercent, r.ComparedPercent, tc.minQ, tc.minC)
			}
			if u, _ := Compare(cp.Frames, other.Frames, DefaultMatch); u.QueryMatched != 0 {
				t.Errorf("copy matches the unrelated video: %.1f%%", u.QueryPercent)
			}
			ms, err := x.Search(context.Background(), cp.Frames)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 1 || ms[0].ID != 1 {
				t.Errorf("index search found %s", describe(ms))
			}
			if tc.opt.EveryFrame {
				at1 := hashTestVideo(t, tc.name, Options{})
				r, _ := Compare(at1.Frames, src.Frames, DefaultMatch)
				t.Logf("%-19s at 1 frame/s: %5.1f%% / %5.1f%%", tc.name, r.QueryPercent, r.ComparedPercent)
			}
		})
	}
	if r, _ := Compare(src.Frames, other.Frames, DefaultMatch); r.QueryMatched != 0 || r.ComparedMatched != 0 {
		t.Errorf("testsrc2 and mandelbrot match: %+v", r)
	}
}

func TestHashResult(t *testing.T) {
	dir := videos(t)
	res := hashTestVideo(t, "a.mp4", Options{})
	data, _ := os.ReadFile(filepath.Join(dir, "a.mp4"))
	if res.MD5 != md5.Sum(data) || res.Size != int64(len(data)) {
		t.Errorf("MD5 %x size %d, want %x %d", res.MD5, res.Size, md5.Sum(data), len(data))
	}
	i := res.Info
	if i.Width != 320 || i.Height != 240 || i.FrameRate != 25 || i.Codec != "h264" || i.Duration != 6 {
		t.Errorf("info %+v", i)
	}
	for k, f := range res.Frames {
		if f.Number != 25*k || f.Timestamp != float64(k) {
			t.Errorf("frame %d: number %d at %g s", k, f.Number, f.Timestamp)
		}
	}
	every := hashTestVideo(t, "a.mp4", Options{EveryFrame: true, Workers: 3})
	if len(every.Frames) != 150 {
		t.Fatalf("every frame: %d frames", len(every.Frames))
	}
	for k, f := range res.Frames {
		if every.Frames[25*k] != f {
			t.Errorf("sampled frame %d differs from the same frame hashed in every-frame mode", f.Number)
		}
	}
	half := hashTestVideo(t, "a.mp4", Options{SecondsPerHash: 0.5})
	if half.Step != 12 || len(half.Frames) != 13 {
		t.Errorf("0.5 s per hash: step %d, %d frames; want 12, 13", half.Step, len(half.Frames))
	}
}

func TestHashErrors(t *testing.T) {
	dir := videos(t)
	tests := []struct {
		name string
		opt  Options
		want error
	}{
		{"empty.mp4", Options{}, ErrEmptyFile},
		{"garbage.mp4", Options{}, ErrUnreadable},
		{"truncated.mp4", Options{}, ErrUnreadable},
		{"sine.m4a", Options{}, ErrNoVideo},
		{"sine-cover.mp3", Options{}, ErrNoVideo},
		{"noframes.y4m", Options{}, ErrNoFrames},
		{"tiny.y4m", Options{}, ErrTooSmall},
		{"playlist.m3u8", Options{}, ErrUnreadable},
		{"missing.mp4", Options{}, os.ErrNotExist},
		{".", Options{}, ErrUnreadable},
		{"a.mp4", Options{FFmpeg: filepath.Join(dir, "no-such-ffmpeg")}, ErrNoFFmpeg},
		{"a.mp4", Options{FFprobe: "no-such-ffprobe-here"}, ErrNoFFmpeg},
		{"a.mp4", Options{Limits: Limits{MaxSeconds: 5}}, ErrLimit},
		{"a.mp4", Options{Limits: Limits{MaxWidth: 300}}, ErrLimit},
		{"a.mp4", Options{Limits: Limits{MaxPixels: 320*240 - 1}}, ErrLimit},
		{"a.mp4", Options{Limits: Limits{MaxFrames: 100}}, ErrLimit},
		{"a.mp4", Options{Limits: Limits{MaxBytes: 1000}}, ErrLimit},
		{"a.mp4", Options{Width: 64, Height: 64, Limits: Limits{MaxWidth: 63}}, ErrLimit},
		// A raw H.264 stream declares no length: the limit trips while
		// decoding.
		{"a.h264", Options{Limits: Limits{MaxFrames: 60}}, ErrLimit},
		{"a.mp4", Options{SecondsPerHash: -1}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := HashFile(context.Background(), filepath.Join(dir, tc.name), tc.opt)
			t.Logf("%v", err)
			if err == nil {
				t.Fatalf("no error; %d frames", len(res.Frames))
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// TestCorrupt: damage in the middle of the stream is concealed by the
// decoder and counted; Strict turns it into ErrUnreadable.
func TestCorrupt(t *testing.T) {
	dir := videos(t)
	path := filepath.Join(dir, "corrupt.mp4")
	res, err := HashFile(context.Background(), path, Options{})
	if err != nil {
		t.Logf("corrupt.mp4: %v", err)
		if !errors.Is(err, ErrUnreadable) {
			t.Errorf("error %v, want ErrUnreadable", err)
		}
		return
	}
	t.Logf("corrupt.mp4: %d frames, %d error lines from ffmpeg, ending\n%s", len(res.Frames), res.DecodeErrors, res.Log)
	if res.DecodeErrors == 0 {
		t.Errorf("no decoding errors counted")
	}
	if _, err := HashFile(context.Background(), path, Options{Strict: true}); !errors.Is(err, ErrUnreadable) {
		t.Errorf("strict: error %v, want ErrUnreadable", err)
	}
}

// TestCancel cancels while ffmpeg decodes: HashFile returns the context's
// error (and kills ffmpeg, or the test would wait for it).
func TestCancel(t *testing.T) {
	dir := videos(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err := HashFile(ctx, filepath.Join(dir, "a.mp4"), Options{EveryFrame: true, Progress: func(int) {
		if calls++; calls == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
