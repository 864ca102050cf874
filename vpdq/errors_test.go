package vpdq

import (
	"errors"
	"testing"
)

func TestToolErrorMessage(t *testing.T) {
	e := &ToolError{Tool: "ffprobe", Err: ErrUnreadable, Cause: errors.New("exit status 1"),
		Stderr: "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5578e0e666c0] moov atom not found\nfile:/tmp/a b/x.mp4: Invalid data found when processing input\n"}
	want := "ffprobe: vpdq: cannot read video (exit status 1): moov atom not found; Invalid data found when processing input"
	if got := e.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
