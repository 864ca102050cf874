package triage

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadJournalTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), JournalName)
	good := `{"path":"a.jpg","size":1,"type":"jpeg","verdict":"new"}` + "\n" + `{"path":"b.txt","size":2,"type":"text file","verdict":"not-media"}` + "\n"
	writeFile(t, path, []byte(good+`{"path":"c.jp`))
	done, err := readJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := done[keyOf("b.txt")]; len(done) != 2 || !ok {
		t.Errorf("read %v", done)
	}
	b, _ := os.ReadFile(path)
	if string(b) != good {
		t.Errorf("journal not truncated to its last whole line: %q", b)
	}
}

// FuzzReadJournal: any journal bytes are read without panicking, and what
// is kept is a prefix of whole lines.
func FuzzReadJournal(f *testing.F) {
	f.Add([]byte(`{"path":"a.jpg","size":1,"verdict":"new"}` + "\n"))
	f.Add([]byte(`{"path":"a","problem":true}` + "\n" + `{"path":"a"}` + "\n{"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), JournalName)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		n := 0
		err := scanJournal(path, func(*File, []byte) error { n++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		done, err := readJournal(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(done) > n {
			t.Fatalf("%d distinct records of %d", len(done), n)
		}
		b, _ := os.ReadFile(path)
		if len(b) > len(data) || string(b) != string(data[:len(b)]) {
			t.Fatal("kept bytes are not a prefix")
		}
	})
}
