package jpeg_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/havenproject/haven/internal/jpeg"
	"github.com/havenproject/haven/pdq"
)

// TestPDQMatchesReference hashes every JPEG of the shared corpus that the
// reference hashed, through DecodeNearest and package pdq, and compares with
// the reference's value (expected.jsonl, or variants.jsonl for variants).
// Bit-exact pixels should give bit-exact hashes.
func TestPDQMatchesReference(t *testing.T) {
	root := filepath.Dir(benchImages)
	type want struct{ hash, build string }
	cases := map[string]want{}
	for _, name := range []string{"expected.jsonl", "variants.jsonl"} {
		f, err := os.Open(filepath.Join(root, name))
		if err != nil {
			t.Skipf("shared PDQ corpus not found: %v", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var r struct {
				Path           string `json:"path"`
				PDQ            string `json:"pdq"`
				ReferenceBuild string `json:"reference_build"`
				Variant        string `json:"variant"`
				VariantPDQ     string `json:"variant_pdq"`
			}
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			if r.Variant != "" {
				r.Path, r.PDQ = r.Variant, r.VariantPDQ
			}
			if ext := strings.ToLower(filepath.Ext(r.Path)); ext == ".jpg" && r.PDQ != "" {
				cases[r.Path] = want{r.PDQ, r.ReferenceBuild}
			}
		}
		f.Close()
	}
	exact := 0
	for path, w := range cases {
		data, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			t.Fatal(err)
		}
		img, _, _, err := jpeg.DecodeNearest(data, 512, 512, jpeg.Options{})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		got, _ := pdq.HashImage(img)
		ref, err := pdq.Parse(w.hash)
		if err != nil {
			t.Fatal(err)
		}
		if d := pdq.Distance(got, ref); d != 0 {
			t.Errorf("%s: hash %v is %d bits from the reference's (%s build)", path, got, d, w.build)
		} else {
			exact++
		}
	}
	t.Logf("%d of %d JPEG hashes bit-exact", exact, len(cases))
}
