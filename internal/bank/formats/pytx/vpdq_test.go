package pytx_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/pytx"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/vpdq"
)

// TestVPDQ reads vpdq lines as HMA writes them (JSON array; the older
// object form too) and writes them back in the array form.
func TestVPDQ(t *testing.T) {
	const h2 = "c8feb0fc73910f830fc6307cf039e7030fc61b9cf8717cf00fce00070003fffe"
	hma := `["` + h64 + `,100,0.0", "` + h2 + `,68,1.0"]`
	old := `{"0": {"quality": 100, "hash": "` + h64 + `", "timestamp": 0.0}}`
	in := "vpdq " + hma + "\nvpdq " + old + "\nvpdq [\"zz,1,0\"]\nvideo_md5 " + md5a + "\n"
	entries, rej := read(t, in, codec.Options{})
	canonical := "0,100," + h64 + ",0.000\n1,68," + h2 + ",1.000"
	if len(entries) != 3 || entries[0].Signal != (signal.Signal{Kind: signal.VPDQ, Value: canonical}) ||
		entries[1].Signal.Value != "0,100,"+h64+",0.000" || entries[2].Signal.Kind != signal.MD5 {
		t.Fatalf("entries %v", entries)
	}
	if len(rej) != 1 || rej[0].Line != 3 || !errors.Is(rej[0], vpdq.ErrSyntax) {
		t.Errorf("rejected %v", rej)
	}
	var buf bytes.Buffer
	w, _ := pytx.NewWriter(&buf, codec.Options{})
	formattest.Write(t, w, []model.Entry{entries[0]})
	if want := "vpdq [\"" + h64 + ",100,0.000\", \"" + h2 + ",68,1.000\"]\n"; buf.String() != want {
		t.Errorf("wrote %q, want %q", buf.String(), want)
	}
	back, rej := read(t, buf.String(), codec.Options{})
	if len(rej) != 0 || len(back) != 1 || back[0].Signal != entries[0].Signal {
		t.Errorf("round trip: %v %v", back, rej)
	}
	// A collaboration of vpdq signals: bare values.
	if entries, rej := read(t, strings.TrimPrefix(hma, "")+"\n", codec.Options{Kind: signal.VPDQ}); len(entries) != 1 || len(rej) != 0 {
		t.Errorf("fixed kind: %v %v", entries, rej)
	}
}
