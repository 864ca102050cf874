package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// HashParams are argon2id's cost parameters.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultHashParams follow OWASP's password storage recommendation for
// argon2id (19 MiB, 2 passes, 1 lane); BenchmarkHashPassword measures a
// hash. Service caps how many run at once, since each holds Memory.
var DefaultHashParams = HashParams{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds on what ParsePHC accepts, so that a crafted or corrupt stored
// hash cannot make verification allocate or spin without limit.
const (
	maxHashMemory = 1 << 20 // KiB: 1 GiB
	maxHashTime   = 64
	minSaltLen    = 8
	maxSaltLen    = 64
	minKeyLen     = 16
	maxKeyLen     = 128
)

// ErrPHC is wrapped by ParsePHC's errors.
var ErrPHC = errors.New("invalid argon2id PHC string")

// PHC is a parsed password hash.
type PHC struct {
	Params HashParams
	Salt   []byte
	Key    []byte
}

// phcB64 is the PHC string format's base64: standard alphabet, no padding.
var phcB64 = base64.RawStdEncoding.Strict()

// String formats h as $argon2id$v=19$m=...,t=...,p=...$salt$key.
func (h PHC) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.Params.Memory, h.Params.Time, h.Params.Threads, phcB64.EncodeToString(h.Salt), phcB64.EncodeToString(h.Key))
}

// ParsePHC parses an argon2id hash in PHC string form. It accepts only
// version 19 and parameters within sane bounds.
func ParsePHC(s string) (PHC, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return PHC{}, fmt.Errorf("%w: want 5 $-separated fields", ErrPHC)
	}
	if parts[1] != "argon2id" {
		return PHC{}, fmt.Errorf("%w: algorithm %q", ErrPHC, parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return PHC{}, fmt.Errorf("%w: version %q", ErrPHC, parts[2])
	}
	var (
		h   PHC
		err error
	)
	if h.Params, err = parsePHCParams(parts[3]); err != nil {
		return PHC{}, err
	}
	if h.Salt = decodePHC(parts[4]); len(h.Salt) < minSaltLen || len(h.Salt) > maxSaltLen {
		return PHC{}, fmt.Errorf("%w: salt", ErrPHC)
	}
	if h.Key = decodePHC(parts[5]); len(h.Key) < minKeyLen || len(h.Key) > maxKeyLen {
		return PHC{}, fmt.Errorf("%w: hash", ErrPHC)
	}
	h.Params.SaltLen, h.Params.KeyLen = uint32(len(h.Salt)), uint32(len(h.Key))
	return h, nil
}

// decodePHC decodes s, or returns nil unless s is the canonical encoding
// of what it holds (the decoder skips line ends, which would give one hash
// several spellings).
func decodePHC(s string) []byte {
	b, err := phcB64.DecodeString(s)
	if err != nil || phcB64.EncodeToString(b) != s {
		return nil
	}
	return b
}

// parsePHCParams parses "m=<KiB>,t=<passes>,p=<lanes>", in that order.
func parsePHCParams(s string) (HashParams, error) {
	var p HashParams
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return p, fmt.Errorf("%w: parameters %q", ErrPHC, s)
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(fields[i], name)
		if !ok || v == "" || (len(v) > 1 && v[0] == '0') {
			return p, fmt.Errorf("%w: parameter %q", ErrPHC, fields[i])
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p, fmt.Errorf("%w: parameter %q", ErrPHC, fields[i])
		}
		vals[i] = n
	}
	p.Memory, p.Time = uint32(vals[0]), uint32(vals[1])
	switch {
	case vals[2] < 1 || vals[2] > 255:
		return p, fmt.Errorf("%w: lanes %d", ErrPHC, vals[2])
	case p.Time < 1 || p.Time > maxHashTime:
		return p, fmt.Errorf("%w: passes %d", ErrPHC, p.Time)
	case p.Memory < 8*uint32(vals[2]) || p.Memory > maxHashMemory:
		return p, fmt.Errorf("%w: memory %d KiB", ErrPHC, p.Memory)
	}
	p.Threads = uint8(vals[2])
	return p, nil
}

// HashPassword returns the argon2id hash of password with a fresh random
// salt, in PHC string form.
func HashPassword(password string, p HashParams) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return PHC{Params: p, Salt: salt, Key: key}.String(), nil
}

// VerifyPassword reports whether password matches the PHC string encoded,
// comparing in constant time.
func VerifyPassword(password, encoded string) (bool, error) {
	h, err := ParsePHC(encoded)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), h.Salt, h.Params.Time, h.Params.Memory, h.Params.Threads, h.Params.KeyLen)
	return subtle.ConstantTimeCompare(key, h.Key) == 1, nil
}

// ErrWeakPassword is wrapped by CheckPassword's refusals.
var ErrWeakPassword = errors.New("password does not meet the rules")

// maxPasswordLen bounds the bytes hashed per attempt.
const maxPasswordLen = 1024

// CheckPassword applies the password rules: at least minLen characters,
// at most 1024 bytes, not the login name. Length is the rule that matters
// (NIST SP 800-63B); composition rules are deliberately absent.
func CheckPassword(password, login string, minLen int) error {
	switch {
	case utf8.RuneCountInString(password) < minLen:
		return fmt.Errorf("%w: at least %d characters", ErrWeakPassword, minLen)
	case len(password) > maxPasswordLen:
		return fmt.Errorf("%w: at most %d bytes", ErrWeakPassword, maxPasswordLen)
	case !utf8.ValidString(password):
		return fmt.Errorf("%w: not valid UTF-8", ErrWeakPassword)
	case strings.EqualFold(password, login):
		return fmt.Errorf("%w: must differ from the login name", ErrWeakPassword)
	}
	return nil
}

// GeneratePassword returns a random password of 20 characters from an
// alphabet without look-alikes (about 112 bits), for one-time passwords
// that an administrator hands over.
func GeneratePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	return randomFrom(alphabet, 20)
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	// Rejection sampling keeps the choice uniform.
	out := make([]byte, 0, n)
	limit := byte(256 - 256%len(alphabet))
	for len(out) < n {
		for _, c := range b {
			if c < limit && len(out) < n {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
		rand.Read(b)
	}
	return string(out)
}
