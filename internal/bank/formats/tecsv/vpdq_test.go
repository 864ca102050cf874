package tecsv_test

import (
	"bytes"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/tecsv"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// TestVPDQRoundTrip writes a vPDQ entry as pytx's dataset CSV does (HMA's
// JSON array in signal_str, quoted) and reads it back.
func TestVPDQRoundTrip(t *testing.T) {
	e := model.Entry{Signal: signal.Signal{Kind: signal.VPDQ, Value: "0,100," + h64 + ",0.000\n1,70," + h64 + ",1.000"}}
	var buf bytes.Buffer
	w, _ := tecsv.NewWriter(&buf, codec.Options{Name: "c"})
	formattest.Write(t, w, []model.Entry{e})
	want := "collab,signal_type,signal_str,category,tags\nc,vpdq,\"[\"\"" + h64 + ",100,0.000\"\", \"\"" + h64 + ",70,1.000\"\"]\",,\n"
	if buf.String() != want {
		t.Errorf("wrote %q\nwant %q", buf.String(), want)
	}
	back, rej, err := read(t, buf.String(), codec.Options{})
	if err != nil || len(rej) != 0 || len(back) != 1 || back[0].Signal != e.Signal {
		t.Errorf("read back %v %v %v", back, rej, err)
	}
}
