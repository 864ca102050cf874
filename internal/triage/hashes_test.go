package triage

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/havenproject/haven/internal/media"
	"github.com/havenproject/haven/pdq"
)

// TestHashesFile matches against a plain hash list given with --hashes, with
// no store at all: an MD5 of a video (too large to decode, so digests are
// streamed) and the PDQ of a photo whose resized copy is in the seizure.
func TestHashesFile(t *testing.T) {
	dir := t.TempDir()
	video := append([]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0, 0, 0, 0, 'm', 'p', '4', '2', 'i', 's', 'o', 'm'},
		bytes.Repeat([]byte{7}, 200<<10)...)
	writeFile(t, filepath.Join(dir, "in", "clip.mp4"), video)
	src := testImage(40, 640, 480)
	writeFile(t, filepath.Join(dir, "in", "small.jpg"), encodeJPEG(t, halve(src), 75))
	h, _ := pdq.HashImage(src)
	list := filepath.Join(dir, "list.txt")
	writeFile(t, list, []byte(md5hex(video)+"\n"+h.String()+"\n"))

	res, err := RunCollected(t, context.Background(), Options{Inputs: []string{filepath.Join(dir, "in")}, OutDir: filepath.Join(dir, "out"),
		Hashes: []string{list}, Media: media.Limits{MaxBytes: 100 << 10}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		switch filepath.Base(f.Path) {
		case "clip.mp4":
			if !f.Video || f.Verdict != Known || f.Size != int64(len(video)) || len(f.Matches) != 1 || f.Matches[0].Source != "file:list.txt" {
				t.Errorf("clip.mp4: %+v", f)
			}
		case "small.jpg":
			if f.Verdict != NearKnown || len(f.Matches) != 1 || f.Matches[0].Kind != "pdq" {
				t.Errorf("small.jpg: %s %+v", f.Verdict, f.Matches)
			}
		default:
			t.Errorf("unexpected %s", f.Path)
		}
	}
}
