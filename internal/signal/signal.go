// Package signal names the kinds of hash ("signals", in ThreatExchange's
// and HMA's words) that Haven stores and matches, and parses and formats
// their values. Text forms are lowercase hex, as hash lists exchange them.
package signal

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/havenproject/haven/pdq"
)

// Kind is a signal type. Its string is the name HMA and python-threatexchange
// use for it ("pdq", "md5", "video_md5", ...).
type Kind string

// The kinds Haven knows. MD5 of a video and of a photo are one kind here:
// the hash does not depend on the media type, and hash lists mix them.
const (
	MD5    Kind = "md5"
	SHA1   Kind = "sha1"
	SHA256 Kind = "sha256"
	PDQ    Kind = "pdq"
	VPDQ   Kind = "vpdq"
)

// Kinds lists every kind, exact ones first.
var Kinds = []Kind{MD5, SHA1, SHA256, PDQ, VPDQ}

// ErrKind reports an unknown signal type name.
var ErrKind = errors.New("unknown signal type")

// ErrValue reports a value that is not a hash of its kind.
var ErrValue = errors.New("invalid signal value")

// aliases maps the names other tools write to our kinds: HMA and pytx signal
// type names, ThreatExchange indicator types, StopNCII's signalType, NCMEC's
// fingerprint element names and VICS AlternativeHashes HashName values.
var aliases = map[string]Kind{
	"md5": MD5, "video_md5": MD5, "photo_md5": MD5, "hash_md5": MD5, "videomd5": MD5,
	"sha1": SHA1, "sha-1": SHA1, "hash_sha1": SHA1,
	"sha256": SHA256, "sha-256": SHA256, "hash_sha256": SHA256,
	"pdq": PDQ, "hash_pdq": PDQ, "imagepdq": PDQ, "photo_pdq": PDQ,
	"vpdq": VPDQ, "video_vpdq": VPDQ, "hash_vpdq": VPDQ,
}

// ParseKind maps a signal type name, in any case, to a Kind.
func ParseKind(name string) (Kind, error) {
	if k, ok := aliases[strings.ToLower(strings.TrimSpace(name))]; ok {
		return k, nil
	}
	return "", fmt.Errorf("%w %q", ErrKind, name)
}

// Exact reports whether matching is by equality (cryptographic digests)
// rather than by distance.
func (k Kind) Exact() bool { return k == MD5 || k == SHA1 || k == SHA256 }

// hexLen is the length of the text form of fixed-size kinds.
func (k Kind) hexLen() int {
	switch k {
	case MD5:
		return 32
	case SHA1:
		return 40
	case SHA256, PDQ:
		return 64
	}
	return 0
}

// Normalize checks that value is a hash of kind k and returns its canonical
// text: lowercase hex with surrounding space removed. vPDQ values are a list
// of frame hashes whose form the vpdq package owns; they are returned
// trimmed and checked only for being non-empty.
func Normalize(k Kind, value string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(value))
	n := k.hexLen()
	switch {
	case k == VPDQ:
		if v == "" {
			return "", fmt.Errorf("%w: empty vpdq", ErrValue)
		}
		return v, nil
	case n == 0:
		return "", fmt.Errorf("%w %q", ErrKind, string(k))
	case len(v) != n:
		return "", fmt.Errorf("%w: %s wants %d hex digits, got %d characters", ErrValue, k, n, len(v))
	}
	if _, err := hex.DecodeString(v); err != nil {
		return "", fmt.Errorf("%w: %s %q is not hex", ErrValue, k, value)
	}
	return v, nil
}

// Signal is one hash value of a known kind, in canonical text form.
type Signal struct {
	Kind  Kind   `json:"kind"`
	Value string `json:"value"`
}

// New returns the signal after Normalize.
func New(k Kind, value string) (Signal, error) {
	v, err := Normalize(k, value)
	if err != nil {
		return Signal{}, err
	}
	return Signal{Kind: k, Value: v}, nil
}

func (s Signal) String() string { return string(s.Kind) + ":" + s.Value }

// PDQHash returns the PDQ hash of a PDQ signal.
func (s Signal) PDQHash() (pdq.Hash, error) {
	if s.Kind != PDQ {
		return pdq.Hash{}, fmt.Errorf("%w: %s is not pdq", ErrKind, s.Kind)
	}
	return pdq.Parse(s.Value)
}

// Guess returns the kinds a bare hex value could be, by its length: an MD5
// or SHA-1 is unambiguous, but 64 hex digits may be a SHA-256 or a PDQ hash,
// and the caller must say which (plain hash lists do not).
func Guess(value string) []Kind {
	v := strings.TrimSpace(value)
	if _, err := hex.DecodeString(v); err != nil {
		return nil
	}
	switch len(v) {
	case 32:
		return []Kind{MD5}
	case 40:
		return []Kind{SHA1}
	case 64:
		return []Kind{SHA256, PDQ}
	}
	return nil
}
