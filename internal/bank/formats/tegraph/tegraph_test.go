package tegraph_test

import (
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/formats/formattest"
	"github.com/havenproject/haven/internal/bank/formats/tegraph"
	"github.com/havenproject/haven/internal/signal"
)

func TestRead(t *testing.T) {
	b, err := os.ReadFile("../testdata/shared/threatexchange/graph-api-descriptor-readback-hash-sha1.json")
	if err != nil {
		t.Fatal(err)
	}
	list := `{"data":[{"id":"1","type":"HASH_PDQ","raw_indicator":"` + strings.Repeat("ab", 32) + `"},
{"id":"2","type":"URI","raw_indicator":"http://x"}],"paging":{"cursors":{"after":"x"}}}`
	for name, in := range map[string]string{"by id": string(b), "list": list} {
		r, err := tegraph.NewReader(strings.NewReader(in), codec.Options{})
		if err != nil {
			t.Fatal(err)
		}
		entries, rej, err := formattest.ReadAll(t, r)
		if err != nil || len(entries) != 1 {
			t.Fatalf("%s: %v %v %v", name, entries, rej, err)
		}
		e := entries[0]
		formattest.CheckEntry(t, e)
		switch name {
		case "by id":
			if e.Signal.Kind != signal.SHA1 || e.SourceID != "3047058802049882" || !slices.Equal(e.Tags, []string{"testing_java_post"}) ||
				e.AddedAt.Unix() != 1589301517 || !strings.Contains(string(e.Extra), `"status":"NON_MALICIOUS"`) {
				t.Errorf("%+v %s", e, e.Extra)
			}
		case "list":
			if e.Signal.Kind != signal.PDQ || len(rej) != 1 || rej[0].Line != 2 {
				t.Errorf("%+v %v", e, rej)
			}
		}
	}
}

func FuzzTEGraph(f *testing.F) {
	b, _ := os.ReadFile("../testdata/shared/threatexchange/graph-api-descriptor-readback-hash-sha1.json")
	f.Add(b)
	f.Add([]byte(`{"data":[{"type":"HASH_MD5","raw_indicator":"0123456789abcdef0123456789abcdef"},1],"paging":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Drain(t, data, func(r io.Reader) (codec.Reader, error) {
			return tegraph.NewReader(r, codec.Options{MaxRecordBytes: 1 << 14})
		})
	})
}
