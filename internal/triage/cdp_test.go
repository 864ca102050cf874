package triage_test

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// cdp is a minimal Chrome DevTools Protocol client over a WebSocket, written
// on the standard library (the module has no WebSocket package): enough to
// navigate, evaluate and watch network events in a test.
type cdp struct {
	conn   net.Conn
	r      *bufio.Reader
	nextID int
	events []cdpEvent
}

type cdpEvent struct {
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

// dialCDP opens the first page target of the browser listening on port.
func dialCDP(port string) (*cdp, error) {
	resp, err := http.Get("http://127.0.0.1:" + port + "/json/list")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var targets []struct{ Type, WebSocketDebuggerURL string }
	if err := json.NewDecoder(resp.Body).Decode(&targets); err != nil {
		return nil, err
	}
	for _, t := range targets {
		if t.Type == "page" {
			return dialWS(t.WebSocketDebuggerURL)
		}
	}
	return nil, errors.New("no page target")
}

func dialWS(raw string) (*cdp, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	rand.Read(key)
	k := base64.StdEncoding.EncodeToString(key)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", u.RequestURI(), u.Host, k)
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	sum := sha1.Sum([]byte(k + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %s", resp.Status)
	}
	return &cdp{conn: conn, r: r}, nil
}

func (c *cdp) Close() error { return c.conn.Close() }

// send writes one masked text frame.
func (c *cdp) send(msg []byte) error {
	hdr := []byte{0x81}
	switch n := len(msg); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n < 1<<16:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	default:
		hdr = binary.BigEndian.AppendUint64(append(hdr, 0x80|127), uint64(n))
	}
	mask := make([]byte, 4)
	rand.Read(mask)
	hdr = append(hdr, mask...)
	body := make([]byte, len(msg))
	for i, b := range msg {
		body[i] = b ^ mask[i%4]
	}
	_, err := c.conn.Write(append(hdr, body...))
	return err
}

// recv reads one whole message (joining fragments, skipping control frames).
func (c *cdp) recv() ([]byte, error) {
	var msg []byte
	for {
		h := make([]byte, 2)
		if _, err := io.ReadFull(c.r, h); err != nil {
			return nil, err
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			b := make([]byte, 2)
			if _, err := io.ReadFull(c.r, b); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b))
		case 127:
			b := make([]byte, 8)
			if _, err := io.ReadFull(c.r, b); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b)
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(c.r, p); err != nil {
			return nil, err
		}
		if op := h[0] & 0x0f; op >= 8 {
			if op == 8 {
				return nil, io.EOF
			}
			continue
		}
		msg = append(msg, p...)
		if h[0]&0x80 != 0 {
			return msg, nil
		}
	}
}

// call sends a command and waits for its answer, keeping events met on the
// way.
func (c *cdp) call(method string, params any) (json.RawMessage, error) {
	c.nextID++
	id := c.nextID
	b, _ := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	c.conn.SetDeadline(time.Now().Add(20 * time.Second))
	if err := c.send(b); err != nil {
		return nil, err
	}
	for {
		m, err := c.recv()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		var r struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct{ Message string }
			cdpEvent
		}
		if err := json.Unmarshal(m, &r); err != nil {
			return nil, err
		}
		if r.ID == 0 {
			c.events = append(c.events, r.cdpEvent)
			continue
		}
		if r.ID == id {
			if r.Error != nil {
				return nil, fmt.Errorf("%s: %s", method, r.Error.Message)
			}
			return r.Result, nil
		}
	}
}

// waitEvent reads until an event named method arrives.
func (c *cdp) waitEvent(method string) error {
	for _, e := range c.events {
		if e.Method == method {
			return nil
		}
	}
	c.conn.SetDeadline(time.Now().Add(20 * time.Second))
	for {
		m, err := c.recv()
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", method, err)
		}
		var e cdpEvent
		if json.Unmarshal(m, &e) == nil && e.Method != "" {
			c.events = append(c.events, e)
			if e.Method == method {
				return nil
			}
		}
	}
}

// eval evaluates a JavaScript expression and decodes its value into v.
func (c *cdp) eval(expr string, v any) error {
	res, err := c.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true})
	if err != nil {
		return err
	}
	var r struct {
		Result           struct{ Value json.RawMessage }
		ExceptionDetails *struct{ Text string }
	}
	if err := json.Unmarshal(res, &r); err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return fmt.Errorf("%s: %s", strings.SplitN(expr, "\n", 2)[0], r.ExceptionDetails.Text)
	}
	return json.Unmarshal(r.Result.Value, v)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
