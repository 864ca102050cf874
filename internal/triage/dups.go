package triage

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"sync"
)

// dupCache finds the journaled record of a content already described in
// this run, so that an exact duplicate (a copy, a hard link, the same image
// in two archives) is not decoded, hashed and looked up again: its record is
// the first copy's with its own path. It keeps, per distinct content, the
// SHA-256 and where its record lies in the journal (about 80 bytes), not
// the record.
type dupCache struct {
	mu sync.Mutex
	at map[[32]byte]dupLoc
	r  *os.File // the journal, read at the recorded offsets
}

type dupLoc struct {
	off int64
	n   int32
}

// dupSpan is a record's place in the journal, learnt when it is flushed.
type dupSpan struct {
	sha string
	off int64
	n   int
}

func openDupCache(journalPath string) (*dupCache, error) {
	r, err := os.Open(journalPath)
	if err != nil {
		return nil, err
	}
	return &dupCache{at: map[[32]byte]dupLoc{}, r: r}, nil
}

func (c *dupCache) close() {
	if c != nil {
		c.r.Close()
	}
}

func shaKey(sha string) ([32]byte, bool) {
	var k [32]byte
	n, err := hex.Decode(k[:], []byte(sha))
	return k, err == nil && n == 32
}

// put records flushed records' places; the first record of a content wins.
func (c *dupCache) put(spans []dupSpan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range spans {
		if k, ok := shaKey(s.sha); ok {
			if _, seen := c.at[k]; !seen {
				c.at[k] = dupLoc{s.off, int32(s.n)}
			}
		}
	}
}

// get returns a copy of the record of content sha, or nil when it has not
// been journaled (yet) in this run.
func (c *dupCache) get(sha string) *File {
	if c == nil {
		return nil
	}
	k, ok := shaKey(sha)
	if !ok {
		return nil
	}
	c.mu.Lock()
	loc, ok := c.at[k]
	c.mu.Unlock()
	if !ok {
		return nil
	}
	b := make([]byte, loc.n)
	if _, err := c.r.ReadAt(b, loc.off); err != nil {
		return nil
	}
	f := new(File)
	if json.Unmarshal(b, f) != nil || f.SHA256 != sha {
		return nil
	}
	return f
}
