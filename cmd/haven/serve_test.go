package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeTLSDemoAndShutdown runs `haven serve --demo` over TLS, asks
// /status, and stops it as SIGINT would; then runs it again to check
// that the demo seeding changes nothing.
func TestServeTLSDemoAndShutdown(t *testing.T) {
	samples, err := filepath.Abs(filepath.Join("..", "..", "testdata", "samples"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("HAVEN_DEMO_SAMPLES", samples)
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	data := filepath.Join(dir, "data")
	first := serveOnce(t, "--data", data, "serve", "--demo", "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, "--log-format", "json")
	if !strings.Contains(first, "password ") || !strings.Contains(first, "Partner API token of demo-platform (shown once): haven_") ||
		!strings.Contains(first, "demo-hotline-known   bridge.jpg") {
		t.Errorf("first demo run printed:\n%s", first)
	}
	second := serveOnce(t, "--data", data, "serve", "--demo", "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key)
	if strings.Count(second, "exists; password unchanged") != len(demoOrgs) || strings.Contains(second, "(shown once)") {
		t.Errorf("second demo run printed secrets or created users:\n%s", second)
	}
}

// serveOnce runs haven with args until it prints its URL, checks /status
// over TLS, cancels it and returns what it printed.
func serveOnce(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, streams{in: strings.NewReader(""), out: pw, err: io.Discard})
		pw.Close()
	}()
	var out strings.Builder
	sc := bufio.NewScanner(pr)
	url := ""
	for sc.Scan() {
		line := sc.Text()
		out.WriteString(line + "\n")
		if u, ok := strings.CutPrefix(line, "Haven is serving at "); ok {
			url = u
			break
		}
	}
	if url == "" {
		t.Fatalf("no URL printed:\n%s", out.String())
	}
	go io.Copy(io.Discard, pr)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := client.Get(url + "status")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "I-AM-ALIVE" || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("status: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit status %d after shutdown", code)
	}
	return out.String()
}

func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
