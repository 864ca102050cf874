package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
	"github.com/havenproject/haven/pdq"
	"github.com/havenproject/haven/vpdq"
)

// near flips the last two bits of bridgePDQ: distance 2.
var near = bridgePDQ[:62] + "21"

func TestHMALookup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var got map[string][]hmaMatch
		f.getJSON("partner", "/m/lookup?signal_type=pdq&signal="+near, 200, &got)
		if len(got) != 1 || len(got["hotline-csam"]) != 1 || got["hotline-csam"][0].Distance != "2" {
			t.Fatalf("partner lookup: %v", got)
		}
		// Another partner's organisation has no bank shared with it.
		got = nil
		f.getJSON("other-partner", "/m/lookup?signal_type=pdq&signal="+near, 200, &got)
		if len(got) != 0 {
			t.Fatalf("other partner sees %v", got)
		}
		// Exact kinds go through the store.
		got = nil
		f.getJSON("partner", "/m/lookup?signal_type=video_md5&signal="+knownMD5, 200, &got)
		if len(got["hotline-csam"]) != 1 || got["hotline-csam"][0].Distance != "0" {
			t.Fatalf("md5 lookup: %v", got)
		}
		// banks= narrows; raw_lookup answers ids.
		got = nil
		f.getJSON("partner", "/m/lookup?signal_type=pdq&banks=police-only&signal="+near, 200, &got)
		if len(got) != 0 {
			t.Fatalf("narrowed lookup: %v", got)
		}
		var raw struct{ Matches []json.RawMessage }
		f.getJSON("partner", "/m/raw_lookup?signal_type=pdq&signal="+near, 200, &raw)
		if len(raw.Matches) != 1 || !bytes.HasPrefix(raw.Matches[0], []byte("1")) && len(raw.Matches[0]) == 0 {
			t.Fatalf("raw lookup: %s", raw.Matches)
		}
		f.getJSON("partner", "/m/raw_lookup?include_distance=true&signal_type=pdq&signal="+near, 200, &raw)
		if len(raw.Matches) != 1 || !strings.Contains(string(raw.Matches[0]), `"distance":"2"`) {
			t.Fatalf("raw lookup with distance: %s", raw.Matches)
		}
		// The investigator's organisation owns police-only.
		got = nil
		f.getJSON("investigator", "/m/lookup?signal_type=pdq&signal="+strings.Repeat("ab", 32), 200, &got)
		if len(got["police-only"]) != 1 {
			t.Fatalf("investigator lookup: %v", got)
		}
		// Roles without Match.
		for _, who := range []string{"monitor", "care_worker", "admin"} {
			if code, body := f.do(who, "GET", "/m/lookup?signal_type=pdq&signal="+near, nil); code != 403 {
				t.Errorf("%s: %d %s", who, code, body)
			}
		}
		if code, _ := f.do("", "GET", "/m/lookup?signal_type=pdq&signal="+near, nil); code != 401 {
			t.Errorf("anonymous: %d", code)
		}
		// Every token use is audited, in batches.
		if err := f.server.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range f.audit.records() {
			if r.Actor == "token:partner" && r.Action == "match" && strings.Contains(r.Detail, "used 3 times") {
				found = true
			}
		}
		if !found {
			t.Errorf("no batched audit record of the partner's lookups in %+v", f.audit.records())
		}
	})
}

func TestHMACompareAndStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		code, body := f.do("partner", "POST", "/m/compare", strings.NewReader(`{"pdq":["`+bridgePDQ+`","`+near+`"]}`))
		if code != 200 || strings.TrimSpace(string(body)) != `{"pdq":[true,{"distance":2}]}` {
			t.Fatalf("compare: %d %s", code, body)
		}
		var st map[string]struct {
			Present    bool
			Size       int64
			Suppressed bool
		}
		f.getJSON("admin", "/m/index/status", 200, &st)
		if !st["pdq"].Present || st["pdq"].Size != 2 || st["md5"].Size != 1 {
			t.Fatalf("index status for an admin: %+v", st)
		}
		// A monitor sees no small counts; a partner only its banks'.
		st = nil
		f.getJSON("monitor", "/m/index/status", 200, &st)
		if st["pdq"].Size != 0 || !st["pdq"].Suppressed {
			t.Fatalf("index status for a monitor: %+v", st)
		}
		st = nil
		f.getJSON("partner", "/m/index/status", 200, &st)
		if st["pdq"].Size != 1 || st["md5"].Size != 1 {
			t.Fatalf("index status for a partner: %+v", st)
		}
		st = nil
		f.getJSON("partner", "/m/index/status?signal_type=pdq", 200, &st)
		if len(st) != 1 {
			t.Fatalf("index status for pdq: %+v", st)
		}
	})
}

func TestHMACuration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var banks []hmaBank
		f.getJSON("partner", "/c/banks", 200, &banks)
		if len(banks) != 1 || banks[0].Name != "hotline-csam" || banks[0].MatchingEnabledRatio != 1 {
			t.Fatalf("partner banks: %+v", banks)
		}
		banks = nil
		f.getJSON("other-partner", "/c/banks", 200, &banks)
		if len(banks) != 0 {
			t.Fatalf("other partner banks: %+v", banks)
		}
		// A bank not shared with the caller is absent to it.
		if code, _ := f.do("other-partner", "GET", "/c/bank/hotline-csam", nil); code != 404 {
			t.Errorf("other partner reads a bank not shared with it: %d", code)
		}
		if code, _ := f.do("investigator", "GET", "/api/v1/banks/no-such-bank", nil); code != 404 {
			t.Errorf("absent bank: %d", code)
		}
		code, body := f.do("hotline_analyst", "POST", "/c/banks", strings.NewReader(`{"name":"NEW_BANK"}`))
		if code != 201 || !strings.Contains(string(body), `"name":"NEW_BANK"`) {
			t.Fatalf("create: %d %s", code, body)
		}
		if code, body := f.do("hotline_analyst", "POST", "/c/banks", strings.NewReader(`{"name":"NEW_BANK"}`)); code != 403 {
			t.Fatalf("create twice: %d %s", code, body)
		}
		code, body = f.do("hotline_analyst", "POST", "/c/bank/NEW_BANK/signal", strings.NewReader(`{"pdq":"`+strings.Repeat("cd", 32)+`"}`))
		if code != 200 || !strings.Contains(string(body), `"signals":{"pdq":"`+strings.Repeat("cd", 32)+`"}`) || strings.Contains(string(body), `"id":0`) {
			t.Fatalf("add signal: %d %s", code, body)
		}
		// This node's index has it at once.
		var got map[string][]hmaMatch
		f.getJSON("hotline_analyst", "/m/lookup?signal_type=pdq&signal="+strings.Repeat("cd", 32), 200, &got)
		if len(got["NEW_BANK"]) != 1 {
			t.Fatalf("lookup after add: %v", got)
		}
		if code, body := f.do("partner", "POST", "/c/bank/NEW_BANK/signal", strings.NewReader(`{"pdq":"`+strings.Repeat("cd", 32)+`"}`)); code != 403 {
			t.Fatalf("partner adds a signal: %d %s", code, body)
		}
		if code, body := f.do("hotline_analyst", "PUT", "/c/bank/NEW_BANK", strings.NewReader(`{"enabled":true}`)); code != 200 {
			t.Fatalf("update: %d %s", code, body)
		}
		if code, body := f.do("hotline_analyst", "DELETE", "/c/bank/NEW_BANK", nil); code != 200 || !strings.Contains(string(body), "Done") {
			t.Fatalf("delete: %d %s", code, body)
		}
		got = nil
		f.getJSON("hotline_analyst", "/m/lookup?signal_type=pdq&signal="+strings.Repeat("cd", 32), 200, &got)
		if len(got) != 0 {
			t.Fatalf("lookup after delete: %v", got)
		}
	})
}

func TestHMAHash(t *testing.T) {
	img, err := os.ReadFile(filepath.Join("..", "..", "testdata", "samples", "bridge.jpg"))
	if err != nil {
		t.Skipf("sample image: %v", err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("photo", "bridge.jpg")
		fw.Write(img)
		mw.Close()
		code, out := f.do("partner", "POST", "/h/hash", &body, "Content-Type", mw.FormDataContentType())
		var got map[string]string
		if code != 200 || json.Unmarshal(out, &got) != nil || len(got["pdq"]) != 64 {
			t.Fatalf("hash: %d %s", code, out)
		}
		code, out = f.do("partner", "POST", "/h/hash?types=pdq,md5", bytes.NewReader(img), "Content-Type", "image/jpeg")
		if code != 200 || json.Unmarshal(out, &got) != nil || len(got) != 2 || len(got["md5"]) != 32 {
			t.Fatalf("hash raw: %d %s", code, out)
		}
	})
}

func TestHMAVideo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var frames []vpdq.Frame
		for i := range 10 {
			var h pdq.Hash
			for j := range h {
				h[j] = byte(i*31 + j*7)
			}
			frames = append(frames, vpdq.Frame{Number: i, Hash: h, Quality: 100, Timestamp: float64(i)})
		}
		value := vpdq.FormatHMA(frames)
		body, _ := json.Marshal(map[string]string{"vpdq": value})
		if code, out := f.do("hotline_analyst", "POST", "/c/bank/hotline-csam/signal", bytes.NewReader(body)); code != 200 {
			t.Fatalf("add video: %d %s", code, out)
		}
		var got map[string][]hmaMatch
		f.getJSON("partner", "/m/lookup?signal_type=vpdq&signal="+url.QueryEscape(value), 200, &got)
		if len(got["hotline-csam"]) != 1 || got["hotline-csam"][0].Distance != "100%[100%]" {
			t.Fatalf("video lookup: %+v", got)
		}
		if code, out := f.do("partner", "GET", "/m/lookup?signal_type=vpdq&signal=nonsense", nil); code != 400 {
			t.Fatalf("bad video hash: %d %s", code, out)
		}
	})
}
