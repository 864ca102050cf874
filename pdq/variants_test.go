package pdq_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/havenproject/haven/internal/sharedtest"
	"github.com/havenproject/haven/pdq"
)

// variant is one line of the shared corpus's variants.jsonl: an original
// image, an edited copy, and the reference's distances between them.
type variant struct {
	Original      string `json:"original"`
	Variant       string `json:"variant"`
	Transform     string `json:"transform"`
	VariantPDQ    string `json:"variant_pdq"`
	VariantQ      int    `json:"variant_quality"`
	Hamming       int    `json:"hamming"`
	MinOverDihedr int    `json:"min_hamming_over_variant_dihedrals"`
}

// TestVariants checks that edits of an image (resize, recompression,
// rotation, crop, greyscale, blur, mirror) are as far from the original
// under our hashes as under the reference's, and that the match decision at
// the default threshold — directly and over the dihedral hashes — is the
// same.
func TestVariants(t *testing.T) {
	dir := sharedtest.Dir(t, "testdata", "pdq")
	f, err := os.Open(filepath.Join(dir, "variants.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hashes := map[string]pdq.Dihedral{}
	hashOf := func(rel string) pdq.Dihedral {
		if d, ok := hashes[rel]; ok {
			return d
		}
		img, err := decode(filepath.Join(dir, rel))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		d, _ := pdq.DihedralImage(img)
		hashes[rel] = d
		return d
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var v variant
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		n++
		orig, vari := hashOf(v.Original)[pdq.Original], hashOf(v.Variant)
		refVar, err := pdq.Parse(v.VariantPDQ)
		if err != nil {
			t.Fatal(err)
		}
		direct := pdq.Distance(orig, vari[pdq.Original])
		best := direct
		for _, h := range vari {
			best = min(best, pdq.Distance(orig, h))
		}
		vsRef := pdq.Distance(vari[pdq.Original], refVar)
		t.Logf("%-60s %-8s direct %3d (ref %3d)  dihedral %3d (ref %3d)  variant vs ref %d",
			v.Variant, v.Transform, direct, v.Hamming, best, v.MinOverDihedr, vsRef)
		if vsRef > maxBits {
			t.Errorf("%s: our hash is %d bits from the reference's, bound %d", v.Variant, vsRef, maxBits)
		}
		if direct != v.Hamming || best != v.MinOverDihedr {
			t.Errorf("%s: distance to original %d (dihedral %d), reference %d (%d)", v.Variant, direct, best, v.Hamming, v.MinOverDihedr)
		}
		match := func(d int) bool { return d <= pdq.DefaultMatchThreshold }
		if match(direct) != match(v.Hamming) || match(best) != match(v.MinOverDihedr) {
			t.Errorf("%s: match decision differs from the reference: direct %d vs %d, dihedral %d vs %d",
				v.Variant, direct, v.Hamming, best, v.MinOverDihedr)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("variants.jsonl is empty")
	}
}
