package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Results of an audited action.
const (
	OK     = "ok"     // done
	Denied = "denied" // refused by the policy or by authentication
	Failed = "error"  // attempted, failed
)

// Record is one entry of the audit trail.
type Record struct {
	ID     int64     `json:"id"`
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`  // login name, "token:<name>", "cli:<os user>"
	Org    string    `json:"org"`    // the actor's organisation
	Role   string    `json:"role"`   // the actor's role
	Action string    `json:"action"` // e.g. "login", "bank.read", "user.create"
	Object string    `json:"object"` // what it touched, e.g. "bank:hotline"
	Result string    `json:"result"` // OK, Denied, Failed
	Remote string    `json:"remote"` // client address, or "" for the CLI
	Detail string    `json:"detail"` // a short free text
	// PrevHash is the Hash of the record before, or GenesisHash for the
	// first; both lowercase hex.
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// GenesisHash is the PrevHash of the first record.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// hashDomain starts every hashed encoding, naming the format's version.
const hashDomain = "haven-audit-v1"

// ComputeHash returns the hash of r as Append sets it: lowercase hex of
// SHA-256 over hashDomain and then, for each of ID (decimal), Time (UTC,
// RFC 3339 with up to microseconds, trailing zeros dropped), Actor, Org,
// Role, Action, Object, Result, Remote, Detail and PrevHash, its length in
// bytes as a 4-byte big-endian number and the bytes themselves. The
// length prefixes make the encoding unambiguous.
func (r Record) ComputeHash() string {
	h := sha256.New()
	h.Write([]byte(hashDomain))
	var n [4]byte
	for _, f := range []string{strconv.FormatInt(r.ID, 10), r.Time.UTC().Format(time.RFC3339Nano),
		r.Actor, r.Org, r.Role, r.Action, r.Object, r.Result, r.Remote, r.Detail, r.PrevHash} {
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Bounds on field sizes: a record is a line, not a document.
const (
	maxField  = 512
	maxDetail = 4096
)

// clean makes r storable on both databases: valid UTF-8 without NUL (which
// PostgreSQL's text refuses) and bounded in size, so that an odd request
// can never make its own audit record fail.
func (r *Record) clean() {
	for _, f := range []*string{&r.Actor, &r.Org, &r.Role, &r.Action, &r.Object, &r.Result, &r.Remote} {
		*f = cleanString(*f, maxField)
	}
	r.Detail = cleanString(r.Detail, maxDetail)
}

func cleanString(s string, limit int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	if len(s) <= limit {
		return s
	}
	cut := limit - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
