package bank

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"

	"github.com/havenproject/haven/internal/signal"
)

// The store keeps a hash as raw bytes (half the size of hex, which made
// the database and its lookup index a third smaller in our measurements;
// see docs/benchmarks-import.md). A kind without a fixed size (vpdq, a list
// of frame hashes) keeps its text in value_text and the SHA-256 of that
// text as value, so that the lookup index stays small on both databases
// (PostgreSQL refuses index rows over about 2.7 kB).

// fixedSize reports kinds whose value is a fixed-size hex hash.
func fixedSize(k signal.Kind) bool { return k.Exact() || k == signal.PDQ }

// encodeValue returns the stored form of a normalised signal.
func encodeValue(s signal.Signal) (key []byte, text sql.NullString, err error) {
	if fixedSize(s.Kind) {
		key, err = hex.DecodeString(s.Value)
		if err != nil {
			return nil, text, fmt.Errorf("%w: %s", signal.ErrValue, s)
		}
		return key, text, nil
	}
	sum := sha256.Sum256([]byte(s.Value))
	return sum[:], sql.NullString{String: s.Value, Valid: true}, nil
}

// decodeValue is the inverse of encodeValue.
func decodeValue(kind string, key []byte, text sql.NullString) signal.Signal {
	if text.Valid {
		return signal.Signal{Kind: signal.Kind(kind), Value: text.String}
	}
	return signal.Signal{Kind: signal.Kind(kind), Value: hex.EncodeToString(key)}
}
