package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestTruncated(t *testing.T) {
	five := []file{
		{name: "1.txt", data: []byte("one")}, {name: "2.txt", data: []byte("two")},
		{name: "3.txt", data: []byte("three")}, {name: "4.bin", data: noise(2000)},
		{name: "5.txt", data: []byte("five")},
	}
	stored := make([]file, len(five))
	for i, f := range five {
		f.store = true
		stored[i] = f
	}
	// cut returns data cut 10 bytes into the data of member 4.bin (its
	// local header or tar header holds the name first).
	cut := func(data []byte, headerLen int) []byte {
		i := bytes.Index(data, []byte("4.bin"))
		if i < 0 {
			t.Fatal("4.bin not found")
		}
		return data[:i+headerLen+10]
	}
	deflated := makeZip(t, five...)
	fourAt := bytes.Index(deflated, []byte("4.bin")) + 200 // inside 4.bin's data
	tarball := makeTar(t, five...)
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"zip with sizes in local headers", cut(makeRawZip(t, five...), 5),
			[]string{"z (zip)", "z [corrupt ]", "z!/1.txt = one", "z!/2.txt = two", "z!/3.txt = three", "z!/4.bin [corrupt ]"}},
		{"stored zip", cut(makeRawZip(t, stored...), 5),
			[]string{"z (zip)", "z [corrupt ]", "z!/1.txt = one", "z!/2.txt = two", "z!/3.txt = three", "z!/4.bin [corrupt ]"}},
		{"zip with data descriptors", deflated[:fourAt],
			[]string{"z (zip)", "z [corrupt ]", "z!/1.txt = one", "z!/2.txt = two", "z!/3.txt = three", "z!/4.bin [corrupt ]"}},
		{"zip without its end record", deflated[:bytes.LastIndex(deflated, []byte("PK\x05\x06"))],
			[]string{"z (zip)", "z [corrupt ]", "z!/1.txt = one", "z!/2.txt = two", "z!/3.txt = three", "z!/4.bin", "z!/5.txt = five"}},
		{"tar", cut(tarball, 512),
			[]string{"z (tar)", "z!/1.txt = one", "z!/2.txt = two", "z!/3.txt = three", "z!/4.bin [corrupt ]"}},
		{"tar cut in a header", tarball[:512*6+100],
			[]string{"z (tar)", "z!/1.txt = one", "z!/2.txt = two", "z!/3.txt = three", "z [corrupt ]"}},
		{"tar.gz", gz(t, "", tarball)[:len(gz(t, "", tarball))/2],
			[]string{"z (tar.gz)", "z!/1.txt = one", "z!/2.txt = two", "z!/3.txt = three", "z!/4.bin [corrupt ]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, _ := collectBytes(t, "z", tt.data, Options{})
			checkPaths(t, gs, tt.want)
		})
	}
}

func TestCorruptGzip(t *testing.T) {
	good := gz(t, "a.txt", bytes.Repeat([]byte("a test card "), 100))
	badData := bytes.Clone(good)
	for i := 20; i < 40; i++ {
		badData[i] ^= 0xff
	}
	badCRC := bytes.Clone(good)
	badCRC[len(badCRC)-8] ^= 0xff
	badHeader := good[:14] // cut inside the file name
	var text bytes.Buffer
	for i := range 400 {
		fmt.Fprintf(&text, "line %d of a long benign text\n", i)
	}
	tgz := gz(t, "", makeTar(t, file{name: "a", data: []byte("a")}, file{name: "b", data: text.Bytes()}))
	damaged := append(bytes.Clone(tgz[:len(tgz)/2]), bytes.Repeat([]byte{0x55}, 64)...)
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"damaged data", badData, []string{"g (gzip)", "g!/a.txt [corrupt ]"}},
		{"bad checksum", badCRC, []string{"g (gzip)", "g!/a.txt [corrupt ]"}},
		{"bad header", badHeader, []string{"g (gzip)", "g [corrupt ]"}},
		{"tar.gz damaged in the second member", damaged, []string{"g (tar.gz)", "g!/a = a", "g!/b [corrupt ]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, _ := collectBytes(t, "g", tt.data, Options{})
			checkPaths(t, gs, tt.want)
		})
	}
}

func TestEncrypted(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "secret.jpg", Method: zip.Deflate, Flags: 0x1, CompressedSize64: 16, UncompressedSize64: 100})
	w.Write(bytes.Repeat([]byte{0xa5}, 16))
	w, _ = zw.Create("open.txt")
	w.Write([]byte("open"))
	zw.Close()
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"zip entry", buf.Bytes(), []string{"e (zip)", "e!/secret.jpg [encrypted ]", "e!/open.txt = open"}},
		{"zip entry found by local headers", buf.Bytes()[:bytes.Index(buf.Bytes(), []byte("PK\x01\x02"))],
			[]string{"e (zip)", "e [corrupt ]", "e!/secret.jpg [encrypted ]", "e!/open.txt = open"}},
		{"7z content", fixture(t, "encrypted.7z"), []string{"e (7z)", "e!/a.txt [encrypted ]"}},
		{"7z headers", fixture(t, "encrypted-headers.7z"), []string{"e (7z)", "e [encrypted ]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, _ := collectBytes(t, "e", tt.data, Options{})
			checkPaths(t, gs, tt.want)
			for _, g := range gs {
				if g.kind == KindEncrypted && !strings.Contains(g.err.Error(), "encrypt") && !strings.Contains(g.err.Error(), "password") {
					t.Errorf("%s: %v", g.path, g.err)
				}
			}
		})
	}
}
