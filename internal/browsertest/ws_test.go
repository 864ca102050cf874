package browsertest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"testing"
)

// frame builds one unmasked server frame.
func frame(fin bool, op byte, payload []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	out := []byte{b0}
	switch n := len(payload); {
	case n < 126:
		out = append(out, byte(n))
	case n < 1<<16:
		out = append(out, 126, byte(n>>8), byte(n))
	default:
		out = binary.BigEndian.AppendUint64(append(out, 127), uint64(n))
	}
	return append(out, payload...)
}

func TestRecv(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 70000)
	cases := []struct {
		name   string
		stream []byte
		want   string
		err    bool
	}{
		{"small", frame(true, 1, []byte(`{"id":1}`)), `{"id":1}`, false},
		{"16-bit length", frame(true, 1, big[:300]), string(big[:300]), false},
		{"64-bit length", frame(true, 1, big), string(big), false},
		{"fragments and a ping between", append(append(frame(false, 1, []byte("ab")), frame(true, 9, nil)...), frame(true, 0, []byte("cd"))...), "abcd", false},
		{"close", frame(true, 8, nil), "", true},
		{"truncated", frame(true, 1, []byte("abc"))[:3], "", true},
	}
	for _, c := range cases {
		ws := &wsConn{r: bufio.NewReader(bytes.NewReader(c.stream))}
		got, err := ws.recv()
		if (err != nil) != c.err || string(got) != c.want {
			t.Errorf("%s: got %.20q, %v", c.name, got, err)
		}
	}
}

// FuzzRecv feeds arbitrary bytes as the browser's side of the socket:
// recv must return a message or an error, never panic or allocate
// without bound.
func FuzzRecv(f *testing.F) {
	f.Add(frame(true, 1, []byte("hello")))
	f.Add(frame(false, 1, []byte("he")))
	f.Add([]byte{0x81, 127, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		ws := &wsConn{r: bufio.NewReader(bytes.NewReader(b))}
		for range 4 {
			if _, err := ws.recv(); err != nil {
				return
			}
		}
	})
}
