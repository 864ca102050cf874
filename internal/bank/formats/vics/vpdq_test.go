package vics_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/vics"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// TestVPDQAlternativeHash writes a video's MD5 and vPDQ as one Media (the
// vPDQ among AlternativeHashes, in HMA's array form) and reads them back.
func TestVPDQAlternativeHash(t *testing.T) {
	video := signal.Signal{Kind: signal.VPDQ, Value: "0,100," + pdqa + ",0.000\n1,80," + pdqa + ",1.000"}
	entries := []model.Entry{
		{Signal: signal.Signal{Kind: signal.MD5, Value: md5a}, SourceID: md5a},
		{Signal: video, SourceID: md5a},
	}
	var buf bytes.Buffer
	w, err := vics.NewWriter(&buf, codec.Options{Scheme: model.SchemeVICSUS})
	if err != nil {
		t.Fatal(err)
	}
	formattest.Write(t, w, entries)
	if want := `"HashName":"VPDQ","HashValue":"[\"` + pdqa + `,100,0.000\", \"` + pdqa + `,80,1.000\"]"`; !strings.Contains(buf.String(), want) {
		t.Errorf("no %s in\n%s", want, buf.String())
	}
	r, err := vics.NewReader(&buf, codec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	back, rej, err := formattest.ReadAll(t, r)
	if err != nil || len(rej) != 0 || len(back) != 2 || back[0].Signal != entries[0].Signal || back[1].Signal != video || back[1].SourceID != md5a {
		t.Fatalf("read back %v %v %v", back, rej, err)
	}
}
