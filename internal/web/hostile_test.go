package web

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

// TestHostileRequests sends malformed input to the API and checks each
// answer's status and that errors are JSON.
func TestHostileRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureConfig(t, db, Config{MaxBodyBytes: 1 << 20, MaxJSONBytes: 4 << 10})
		big := strings.Repeat("a", 2<<20)
		tests := []struct {
			who, method, path, body, ctype string
			want                           int
		}{
			{"partner", "GET", "/m/lookup?signal_type=pdq&signal=zz", "", "", 400},    // bad hex
			{"partner", "GET", "/m/lookup?signal_type=pdq&signal=abcd", "", "", 400},  // wrong length
			{"partner", "GET", "/m/lookup?signal_type=tmk&signal=abcd", "", "", 400},  // unknown type
			{"partner", "GET", "/m/lookup?signal_type=vpdq&signal=abcd", "", "", 400}, // bad vPDQ
			{"partner", "GET", "/m/lookup", "", "", 400},                              // missing
			{"partner", "GET", "/m/lookup?url=http://example.org/x.jpg", "", "", 400}, // no fetching
			{"partner", "GET", "/m/raw_lookup?signal_type=pdq&signal=" + bridgePDQ + "&include_distance=maybe", "", "", 400},
			{"partner", "GET", "/m/lookup?signal_type=md5&signal=" + strings.Repeat("g", 32), "", "", 400},
			{"partner", "GET", "/m/index/status?signal_type=nope", "", "", 400},
			{"partner", "POST", "/m/compare", "{", "application/json", 400},                  // bad JSON
			{"partner", "POST", "/m/compare", "[1,2]", "application/json", 400},              // not a dict
			{"partner", "POST", "/m/compare", `{"pdq":"x"}`, "application/json", 400},        // not a list
			{"partner", "POST", "/m/compare", `{"pdq":["a"]}`, "application/json", 400},      // one hash
			{"partner", "POST", "/m/compare", `{"pdq":["a","b"]}`, "application/json", 400},  // bad hashes
			{"partner", "POST", "/m/compare", `{"nope":["a","b"]}`, "application/json", 400}, // unknown type
			{"partner", "POST", "/m/compare", `{"pdq":[1,2]}`, "application/json", 400},      // not strings
			{"partner", "POST", "/m/compare", `{} {}`, "application/json", 400},              // trailing data
			{"partner", "POST", "/m/compare", `{"a":"` + strings.Repeat("x", 8<<10) + `"}`, "application/json", 400},
			{"partner", "POST", "/m/compare", `{}`, "text/plain", 415},
			{"partner", "POST", "/h/hash", "", "", 400}, // no file
			{"partner", "POST", "/h/hash", "not an image", "image/jpeg", 422},
			{"partner", "POST", "/h/hash", big, "image/jpeg", 413}, // oversized
			{"partner", "POST", "/h/hash", "--x\r\n", "multipart/form-data; boundary=x", 400},
			{"partner", "POST", "/h/hash", "junk", "multipart/form-data", 400},
			{"partner", "POST", "/h/hash", "--x\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a\"\r\n\r\nabc\r\n--x--\r\n", "multipart/form-data; boundary=x", 400},
			{"hotline_analyst", "POST", "/c/banks", `{}`, "application/json", 400},
			{"hotline_analyst", "POST", "/c/banks", `{"name":"bad name!"}`, "application/json", 400},
			{"hotline_analyst", "POST", "/c/banks", `{"name":"x","enabled_ratio":0.5}`, "application/json", 400},
			{"hotline_analyst", "POST", "/c/banks", `{"name":5}`, "application/json", 400},
			{"hotline_analyst", "GET", "/c/bank/nope", "", "", 404},
			{"hotline_analyst", "PUT", "/c/bank/hotline-csam", `{"name":"renamed"}`, "application/json", 400},
			{"hotline_analyst", "POST", "/c/bank/hotline-csam/signal", `{}`, "application/json", 400},
			{"hotline_analyst", "POST", "/c/bank/hotline-csam/signal", `{"pdq":"xyz"}`, "application/json", 400},
			{"hotline_analyst", "POST", "/c/bank/hotline-csam/signal", `{"nope":"abc"}`, "application/json", 400},
			{"hotline_analyst", "POST", "/c/bank/hotline-csam/signal", `{"pdq":7}`, "application/json", 400},
			{"hotline_analyst", "POST", "/c/bank/nope/signal", `{"pdq":"` + bridgePDQ + `"}`, "application/json", 404},
			{"hotline_analyst", "GET", "/api/v1/banks/hotline-csam/entries?limit=0", "", "", 400},
			{"hotline_analyst", "GET", "/api/v1/banks/hotline-csam/entries?after=x", "", "", 400},
			{"hotline_analyst", "GET", "/api/v1/banks/nope/entries", "", "", 404},
			{"hotline_analyst", "POST", "/api/v1/banks/hotline-csam/import", "\x00\x01garbage", "application/octet-stream", 422},
			{"hotline_analyst", "POST", "/api/v1/banks/hotline-csam/import?format=nope", "pdq abc", "", 422},
			{"hotline_analyst", "POST", "/api/v1/banks/hotline-csam/import?kind=nope", "x", "", 400},
			{"hotline_analyst", "POST", "/api/v1/banks/hotline-csam/import", big, "", 413},
			{"hotline_analyst", "POST", "/api/v1/banks", `{"name":"x","kind":"sideways"}`, "application/json", 400},
			{"hotline_analyst", "POST", "/api/v1/banks", `{"name":"hotline-csam"}`, "application/json", 409},
			{"hotline_analyst", "POST", "/api/v1/lookup", `{"signal_type":"pdq","signal":"00"}`, "application/json", 400},
			{"hotline_analyst", "POST", "/api/v1/lookup?dihedral=perhaps", "x", "image/png", 400},
			{"hotline_analyst", "POST", "/api/v1/lookup", "x", "image/png", 422},
			{"partner", "DELETE", "/m/lookup", "", "", 405},
			{"partner", "GET", "/no/such/route", "", "", 404},
			{"", "GET", "/m/lookup", "", "", 401},
			{"partner", "GET", "/api/v1/banks/hotline-csam/entries", "", "", 403}, // case data
		}
		for _, tc := range tests {
			var hdr []string
			if tc.ctype != "" {
				hdr = []string{"Content-Type", tc.ctype}
			}
			code, body := f.do(tc.who, tc.method, tc.path, strings.NewReader(tc.body), hdr...)
			if code != tc.want {
				t.Errorf("%s %s %.40q as %q: %d %s, want %d", tc.method, tc.path, tc.body, tc.who, code, body, tc.want)
			}
			var e errorBody
			if err := json.Unmarshal(body, &e); err != nil || e.Message == "" {
				t.Errorf("%s %s: error body %q is not JSON with a message", tc.method, tc.path, body)
			}
		}
		// A malformed Authorization header and an unknown token.
		for _, h := range []string{"Basic abc", "Bearer", "Bearer haven_nope", "Bearer " + strings.Repeat("x", 5000)} {
			code, _ := f.do("", "GET", "/api/v1/whoami", nil, "Authorization", h)
			if code != 401 {
				t.Errorf("Authorization %.20q: %d", h, code)
			}
		}
	})
}

// TestEveryRouteSurvivesGarbage sends malformed, oversized and empty
// requests to every route as every kind of principal and checks that none
// answers 500 or more.
func TestEveryRouteSurvivesGarbage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureConfig(t, db, Config{MaxBodyBytes: 64 << 10, MaxJSONBytes: 4 << 10})
		bodies := []struct{ body, ctype string }{
			{"", ""},
			{"{", "application/json"},
			{`{"name":"x","pdq":["` + bridgePDQ + `","x"],"signal_type":"pdq","signal":"` + bridgePDQ + `"}`, "application/json"},
			{strings.Repeat("\xff", 70<<10), "application/octet-stream"},
			{"--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"x\"\r\n\r\n\x89PNG\r\n--b--\r\n", "multipart/form-data; boundary=b"},
		}
		for _, rt := range f.server.Routes() {
			path := strings.NewReplacer("{name}", "hotline-csam", "{$}", "").Replace(rt.Path)
			for _, who := range []string{"", "partner", "hotline_analyst", "monitor", "admin"} {
				for _, b := range bodies {
					var hdr []string
					if b.ctype != "" {
						hdr = []string{"Content-Type", b.ctype}
					}
					code, body := f.do(who, rt.Method, path+"?signal=%zz&limit=-1&after=99999999999999999999", bytes.NewReader([]byte(b.body)), hdr...)
					if code >= 500 {
						t.Errorf("%s %s as %q with %.30q: %d %s", rt.Method, path, who, b.body, code, body)
					}
				}
			}
		}
	})
}

// TestUploadLimits checks the pixel budget and the per-token upload rate.
func TestUploadLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureConfig(t, db, Config{MaxUploadPixels: 1000, UploadRate: 0.001, UploadBurst: 2})
		// A 64×64 PNG is over a 1000-pixel budget.
		code, body := f.do("partner", "POST", "/h/hash", bytes.NewReader(tinyPNG(64, 64)), "Content-Type", "image/png")
		if code != 413 {
			t.Fatalf("over the pixel budget: %d %s", code, body)
		}
		f.do("partner", "POST", "/h/hash", bytes.NewReader(tinyPNG(8, 8)), "Content-Type", "image/png")
		code, _ = f.do("partner", "POST", "/h/hash", bytes.NewReader(tinyPNG(8, 8)), "Content-Type", "image/png")
		if code != 429 {
			t.Fatalf("third upload within the burst of 2: %d", code)
		}
		// Another token has its own bucket.
		if code, body := f.do("investigator", "POST", "/h/hash", bytes.NewReader(tinyPNG(8, 8)), "Content-Type", "image/png"); code != 200 {
			t.Fatalf("another token: %d %s", code, body)
		}
	})
}

func tinyPNG(w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
