package havenhash_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/havenhash"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// TestVideoLines reads `haven hash` output mixing images and videos: each
// video's consecutive #t= lines are one vPDQ entry.
func TestVideoLines(t *testing.T) {
	z := strings.Repeat("0", 64)
	in := h + ",100,a.mp4#t=0.000\n" + z + ",90,a.mp4#t=1.000\n" +
		h + ",80,b.jpg\n" +
		z + ",70,a.mp4#t=0.000\n" + // the same path again, from 0: another video
		h + ",60,dir/c, d.mkv#t=0.000\n" + h + ",bad,x\n" + z + ",50,dir/c, d.mkv#t=1.500\n" +
		h + ",40,e.mp4#t=2.000\n"
	entries, rej := read(t, in)
	want := []struct {
		kind       signal.Kind
		value, src string
	}{
		{signal.VPDQ, "0,100," + h + ",0.000\n1,90," + z + ",1.000", "a.mp4"},
		{signal.PDQ, h, "b.jpg"},
		{signal.VPDQ, "0,70," + z + ",0.000", "a.mp4"},
		{signal.VPDQ, "0,60," + h + ",0.000", "dir/c, d.mkv"},
		{signal.VPDQ, "0,50," + z + ",1.500", "dir/c, d.mkv"},
		{signal.VPDQ, "0,40," + h + ",2.000", "e.mp4"},
	}
	if len(entries) != len(want) || len(rej) != 1 || rej[0].Line != 6 {
		t.Fatalf("entries %v\nrejected %v", entries, rej)
	}
	for i, w := range want {
		if e := entries[i]; e.Signal.Kind != w.kind || e.Signal.Value != w.value || e.SourceID != w.src {
			t.Errorf("%d: %s %q %q, want %s %q %q", i, e.Signal.Kind, e.Signal.Value, e.SourceID, w.kind, w.value, w.src)
		}
	}
	// Written back: the same lines.
	var buf bytes.Buffer
	w, _ := havenhash.NewWriter(&buf, codec.Options{})
	formattest.Write(t, w, []model.Entry{entries[0], {Signal: entries[2].Signal}})
	if want := h + ",100,a.mp4#t=0.000\n" + z + ",90,a.mp4#t=1.000\n" + z + ",70,video1#t=0.000\n"; buf.String() != want {
		t.Errorf("wrote\n%s\nwant\n%s", buf.String(), want)
	}
}
