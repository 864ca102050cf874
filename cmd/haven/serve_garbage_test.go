package main

import (
	"strings"
	"testing"
)

// TestEveryRouteSurvivesGarbage sends malformed, oversized and empty
// bodies to every route of the full server (API and UI) as several roles,
// by session and by token, and checks that none answers 500 or more.
func TestEveryRouteSurvivesGarbage(t *testing.T) {
	w := newTestWorld(t)
	bodies := [][2]string{
		{"", ""},
		{"{", "application/json"},
		{`{"name":"x","pdq":["zz","x"],"signal_type":"pdq","signal":"00"}`, "application/json"},
		{"name=%zz&csrf_token=&hash=zz&login=&password=&role=root", "application/x-www-form-urlencoded"},
		{"--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"x\"\r\n\r\n\x89PNG\r\n", "multipart/form-data; boundary=b"},
		{"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\nGIF89a\r\n--b--\r\n", "multipart/form-data; boundary=b"},
		{"junk", "multipart/form-data"},
		{strings.Repeat("\xff", 65<<20), "application/octet-stream"}, // over the 64 MiB body limit
	}
	for _, rt := range w.node.server.Routes() {
		for _, who := range []byte("*HPA") {
			for _, viaToken := range []bool{false, true} {
				for _, b := range bodies {
					if code := w.try(rt, who, viaToken, b[0], b[1]); code >= 500 {
						t.Errorf("%s %s as %c (token %v) with %.30q: %d", rt.Method, rt.Path, who, viaToken, b[0], code)
					}
				}
			}
		}
	}
}
