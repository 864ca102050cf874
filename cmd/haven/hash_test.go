package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runHaven runs the command in-process and returns its exit status and
// output.
func runHaven(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, streams{in: strings.NewReader(stdin), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dst, b)
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pngHeader returns a PNG signature and IHDR claiming w×h RGB pixels, with
// a tiny IDAT: a decompression bomb as it reaches a decoder.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// badFolder builds the folder the project's acceptance test names: good
// images, a corrupt JPEG, a truncated PNG, a 30000×30000 PNG header, a text
// file named .jpg and a HEIC photo.
func badFolder(t *testing.T) string {
	dir := t.TempDir()
	copyFile(t, "../../testdata/samples/bridge.jpg", filepath.Join(dir, "good/bridge.jpg"))
	copyFile(t, "../../testdata/samples/chelsea.png", filepath.Join(dir, "good/chelsea.png"))
	copyFile(t, "../../internal/media/testdata/heic-chelsea.heic", filepath.Join(dir, "phone/IMG_0001.HEIC"))

	jpg, err := os.ReadFile("../../testdata/samples/rocket.jpg")
	if err != nil {
		t.Fatal(err)
	}
	corrupt := bytes.Clone(jpg)
	for i := 600; i < len(corrupt)-2; i += 7 {
		corrupt[i] = 0xff // markers where entropy data should be
	}
	writeFile(t, filepath.Join(dir, "bad/corrupt.jpg"), corrupt)

	png, err := os.ReadFile("../../testdata/samples/chelsea.png")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "bad/truncated.png"), png[:len(png)/2])
	writeFile(t, filepath.Join(dir, "bad/bomb.png"), pngHeader(30000, 30000))
	writeFile(t, filepath.Join(dir, "bad/notes.jpg"), []byte("this is a text file, not a photo\n"))
	writeFile(t, filepath.Join(dir, "README.txt"), []byte("case notes\n"))
	return dir
}

func TestHashBadFolder(t *testing.T) {
	dir := badFolder(t)
	code, stdout, stderr := runHaven(t, "", "hash", "-j", "2", dir)
	if code != exitPartial {
		t.Errorf("exit status %d, want %d", code, exitPartial)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 hashed files, got:\n%s\nstderr:\n%s", stdout, stderr)
	}
	for i, want := range []string{"good/bridge.jpg", "good/chelsea.png", "phone/IMG_0001.HEIC"} {
		f := strings.Split(lines[i], ",")
		if len(f) != 3 || len(f[0]) != 64 || !strings.HasSuffix(f[2], want) {
			t.Errorf("line %d = %q, want hash,quality,...%s", i, lines[i], want)
		}
	}
	if !strings.HasPrefix(lines[0], "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22,100,") {
		t.Errorf("bridge.jpg hash differs from the reference: %s", lines[0])
	}
	for _, want := range []string{
		"corrupt.jpg: jpeg: ",
		"truncated.png: png: ",
		"bomb.png: png: 30000x30000 pixels exceeds",
		"notes.jpg: not an image (text",
		"hashed 3 files, 4 failed, 1 skipped",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "README.txt") {
		t.Errorf("a non-image found in a folder is skipped quietly:\n%s", stderr)
	}
}

func TestHashJSONAndCSV(t *testing.T) {
	dir := badFolder(t)
	code, stdout, _ := runHaven(t, "", "hash", "--format", "json", "--dihedral", dir)
	if code != exitPartial {
		t.Errorf("exit status %d", code)
	}
	var hashed, failed int
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var rec jsonRecord
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if rec.Error != "" {
			failed++
			continue
		}
		hashed++
		if len(rec.MD5) != 32 || len(rec.SHA1) != 40 || len(rec.SHA256) != 64 || len(rec.Dihedral) != 8 || rec.Quality == nil {
			t.Errorf("incomplete record %+v", rec)
		}
	}
	if hashed != 3 || failed != 4 {
		t.Errorf("json: %d hashed, %d failed records, want 3 and 4", hashed, failed)
	}

	_, stdout, _ = runHaven(t, "", "hash", "--format", "csv", filepath.Join(dir, "good"))
	rows := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(rows) != 3 || rows[0] != "path,pdq,quality,format,width,height,bytes,frame,time" {
		t.Errorf("csv:\n%s", stdout)
	}
	if !strings.Contains(rows[1], ",jpeg,1600,1004,") {
		t.Errorf("csv row %q", rows[1])
	}
}

func TestHashDihedralText(t *testing.T) {
	code, stdout, _ := runHaven(t, "", "hash", "--dihedral", "../../testdata/samples/bridge.jpg")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	f := strings.Split(strings.TrimSpace(stdout), ",")
	// orig..flipm, quality, path: as pdq-photo-hasher --pdqdih-across.
	if len(f) != 10 || f[0] != "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22" ||
		f[1] != "f0a10efd51c83d429053d48d0fffbc52e34e0e17ada956a9d29685211ea9e58f" || f[8] != "100" {
		t.Errorf("dihedral line %q", stdout)
	}
}

func TestHashStdinAndFilesFrom(t *testing.T) {
	img, err := os.ReadFile("../../testdata/samples/bridge.jpg")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runHaven(t, string(img), "hash", "-")
	if code != exitOK || !strings.HasSuffix(strings.TrimSpace(stdout), ",100,-") {
		t.Errorf("stdin: exit %d, %q", code, stdout)
	}
	list := "../../testdata/samples/rocket.jpg\n\n../../testdata/samples/chelsea.png\n"
	code, stdout, _ = runHaven(t, list, "hash", "--files-from", "-")
	if code != exitOK || strings.Count(stdout, "\n") != 2 {
		t.Errorf("--files-from: exit %d, %q", code, stdout)
	}
	// A file named on the command line must be an image.
	code, _, stderr := runHaven(t, "", "hash", "../../testdata/samples/README.md")
	if code != exitPartial || !strings.Contains(stderr, "not an image") {
		t.Errorf("explicit non-image: exit %d, %q", code, stderr)
	}
	code, _, stderr = runHaven(t, "", "hash", "no/such/file.jpg")
	if code != exitPartial || !strings.Contains(stderr, "no such file") {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"hash"},
		{"hash", "--format", "xml", "x"},
		{"hash", "--no-such-flag", "x"},
		{"hash", "-j", "-1", "x"},
		{"no-such-command"},
	} {
		code, _, stderr := runHaven(t, "", args...)
		if code != exitUsage || !strings.Contains(stderr, "haven --help") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
