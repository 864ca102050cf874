package jpeg

import (
	"bytes"
	stdjpeg "image/jpeg"
	"os"
	"strconv"
	"testing"

	"github.com/havenproject/haven/pdq"
)

// TestInstr is a fixed workload for instruction counting under valgrind
// (JPEG_INSTR=mode:reps; modes D, N, S and P for DecodeNearest + pdq hash, then S or L for the small or large set); it does nothing otherwise.
func TestInstr(t *testing.T) {
	spec := os.Getenv("JPEG_INSTR")
	if spec == "" {
		t.Skip("JPEG_INSTR not set")
	}
	mode, repsStr := spec[:len(spec)-2], spec[len(spec)-1:]
	reps, _ := strconv.Atoi(repsStr)
	var small, large [][]byte
	for _, p := range sharedJPEGs(t) {
		data, _ := os.ReadFile(p)
		d := &decoder{data: data}
		if d.readFrameHeader() != nil {
			continue
		}
		if d.width > 512 || d.height > 512 {
			large = append(large, data)
		} else {
			small = append(small, data)
		}
	}
	set := small
	if mode[len(mode)-1] == 'L' {
		set = large
	}
	h := pdq.NewHasher()
	for i := 0; i < reps; i++ {
		for _, data := range set {
			switch mode[0] {
			case 'D':
				DecodeBytes(data, Options{})
			case 'N':
				DecodeNearest(data, 512, 512, Options{})
			case 'P':
				if img, _, _, err := DecodeNearest(data, 512, 512, Options{}); err == nil {
					h.Hash(img)
				}
			case 'S':
				stdjpeg.Decode(bytes.NewReader(data))
			}
		}
	}
}
