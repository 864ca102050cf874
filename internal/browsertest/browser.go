package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Names are the executables Find looks for, in order.
var Names = []string{"chromium", "chromium-browser", "google-chrome"}

// Find returns the path of a Chromium on PATH, or "".
func Find() string {
	for _, n := range Names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// Require returns the Chromium to use. Without one it skips the test with
// a message saying how to install it, or fails it when the environment
// variable CI is "true" (CI installs it, so its absence there is a bug).
func Require(t testing.TB) string {
	t.Helper()
	bin := Find()
	if bin == "" {
		const msg = "chromium not found (Debian: apt-get install -y chromium)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg + "; skipping the browser test")
	}
	return bin
}

// Options tune Start.
type Options struct {
	// Args are extra command-line flags.
	Args []string
	// Timeout bounds each protocol call and wait (default 20s).
	Timeout time.Duration
}

// Start launches bin headless with a fresh profile in a temporary
// directory, host resolution disabled for everything but 127.0.0.1 (so a
// page can reach only the test server on loopback), and returns
// its first page with the Page, Network and Runtime domains enabled. The
// browser is stopped when the test ends.
func Start(t testing.TB, bin string, opt Options) *Page {
	t.Helper()
	if opt.Timeout <= 0 {
		opt.Timeout = 20 * time.Second
	}
	profile := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--metrics-recording-only", "--remote-debugging-port=0",
		"--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"}, opt.Args...)
	cmd := exec.CommandContext(ctx, bin, append(args, "about:blank")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	port, err := devToolsPort(profile, 30*time.Second)
	if err != nil {
		t.Fatalf("%v; chromium said: %s", err, tail(stderr.String(), 2000))
	}
	p, err := dialPage(port, opt.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.ws.Close() })
	for _, m := range []string{"Page.enable", "Network.enable", "Runtime.enable", "DOM.enable"} {
		if _, err := p.Call(m, nil); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// devToolsPort waits for Chromium to write the port it listens on into the
// profile directory (it does so with --remote-debugging-port=0).
func devToolsPort(profile string, wait time.Duration) (string, error) {
	for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		b, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort"))
		if err == nil && bytes.Contains(b, []byte("\n")) {
			return strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]), nil
		}
	}
	return "", errors.New("chromium did not start its DevTools endpoint")
}

// dialPage connects to the first page target of the browser on port.
func dialPage(port string, timeout time.Duration) (*Page, error) {
	resp, err := http.Get("http://127.0.0.1:" + port + "/json/list")
	if err != nil {
		return nil, fmt.Errorf("list devtools targets: %w", err)
	}
	defer resp.Body.Close()
	var targets []struct{ Type, WebSocketDebuggerURL string }
	if err := json.NewDecoder(resp.Body).Decode(&targets); err != nil {
		return nil, fmt.Errorf("list devtools targets: %w", err)
	}
	for _, t := range targets {
		if t.Type == "page" {
			ws, err := dialWS(t.WebSocketDebuggerURL)
			if err != nil {
				return nil, err
			}
			return &Page{ws: ws, timeout: timeout}, nil
		}
	}
	return nil, errors.New("devtools: no page target")
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
