package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"time"
)

// Token is an API token's record; the plaintext is never stored.
type Token struct {
	ID        int64
	OrgID     int64
	Org       string
	Name      string
	Role      Role
	CreatedBy string
	CreatedAt time.Time
	Expires   time.Time
	Revoked   time.Time // zero while not revoked
	LastUsed  time.Time // zero if never used
}

// TokenPrefix starts every API token, so that secret scanners and people
// recognise one.
const TokenPrefix = "haven_"

// A token is TokenPrefix, then base64url of 32 random bytes and the CRC-32
// (IEEE) of those bytes: the checksum lets ParseToken reject typos and
// scanners recognise real tokens without asking the database.
var tokenLen = len(TokenPrefix) + b64url.EncodedLen(secretLen+4)

// FormatToken returns the token of a 32-byte secret (for tests and tools;
// CreateToken makes the secret).
func FormatToken(secret []byte) string {
	b := binary.BigEndian.AppendUint32(secret[:secretLen:secretLen], crc32.ChecksumIEEE(secret))
	return TokenPrefix + b64url.EncodeToString(b)
}

// ParseToken checks the form of a bearer token and returns its secret.
func ParseToken(s string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok || len(s) != tokenLen {
		return nil, ErrBadToken
	}
	b, err := b64url.DecodeString(rest)
	if err != nil || len(b) != secretLen+4 || binary.BigEndian.Uint32(b[secretLen:]) != crc32.ChecksumIEEE(b[:secretLen]) {
		return nil, ErrBadToken
	}
	return b[:secretLen], nil
}

// TokenSpec describes a token to create.
type TokenSpec struct {
	Org       string        // organisation short name
	Name      string        // what the token is for, e.g. "upload-scanner"
	Role      Role          // Partner when empty
	TTL       time.Duration // Options.TokenTTL when 0
	CreatedBy string        // who created it, for the record
}

// CreateToken creates a partner token for the organisation named org and
// returns its plaintext, which is shown once and cannot be recovered.
// ttl 0 means Options.TokenTTL.
func (s *Service) CreateToken(ctx context.Context, org, name string, ttl time.Duration) (string, Token, error) {
	return s.CreateTokenFor(ctx, TokenSpec{Org: org, Name: name, TTL: ttl})
}

// CreateTokenFor is CreateToken with a role other than Partner and the
// creator's name. The organisation must allow the role
// (ErrRoleNotAllowed).
func (s *Service) CreateTokenFor(ctx context.Context, spec TokenSpec) (string, Token, error) {
	t := Token{Name: strings.TrimSpace(spec.Name), Role: spec.Role, CreatedBy: spec.CreatedBy, CreatedAt: s.timestamp()}
	if t.Role == "" {
		t.Role = Partner
	}
	if _, err := ParseRole(string(t.Role)); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w: %v", ErrInvalid, err)
	}
	if t.Name == "" {
		return "", Token{}, fmt.Errorf("create token: %w: no name", ErrInvalid)
	}
	if err := checkText("token name", t.Name, 100); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	if err := checkText("creator", t.CreatedBy, 200); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	ttl := spec.TTL
	if ttl == 0 {
		ttl = s.opt.TokenTTL
	}
	if ttl < 0 {
		return "", Token{}, fmt.Errorf("create token: %w: negative lifetime", ErrInvalid)
	}
	t.Expires = t.CreatedAt.Add(ttl)
	o, err := s.GetOrg(ctx, spec.Org)
	if err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	t.OrgID, t.Org = o.ID, o.Name
	secret := newSecret()
	sum := sha256.Sum256(secret)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkRoleIn(ctx, tx, o, t.Role); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO api_tokens (org_id, name, role, secret_hash, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, t.OrgID, t.Name, string(t.Role), sum[:], t.CreatedBy, t.CreatedAt, t.Expires).Scan(&t.ID)
	})
	if err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	return FormatToken(secret), t, nil
}

const tokenColumns = `t.id, t.org_id, o.name, t.name, t.role, t.created_by, t.created_at, t.expires_at, t.revoked_at, t.last_used_at`

func scanToken(r rowScanner) (Token, error) {
	var (
		t             Token
		role          string
		revoked, used sql.NullTime
	)
	if err := r.Scan(&t.ID, &t.OrgID, &t.Org, &t.Name, &role, &t.CreatedBy, &t.CreatedAt, &t.Expires, &revoked, &used); err != nil {
		return Token{}, err
	}
	t.Role, t.CreatedAt, t.Expires = Role(role), t.CreatedAt.UTC(), t.Expires.UTC()
	if revoked.Valid {
		t.Revoked = revoked.Time.UTC()
	}
	if used.Valid {
		t.LastUsed = used.Time.UTC()
	}
	return t, nil
}

// ListTokens returns the tokens of the organisation named org (all when
// org is ""), newest first, revoked and expired ones included.
func (s *Service) ListTokens(ctx context.Context, org string) ([]Token, error) {
	if org != "" && !namePattern.MatchString(canon(org)) {
		return nil, nil // no organisation has that name
	}
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN orgs o ON o.id = t.org_id
		WHERE $1 = '' OR o.name = $1 ORDER BY t.id DESC`, canon(org))
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// GetToken returns the token with id, or ErrNotFound.
func (s *Service) GetToken(ctx context.Context, id int64) (Token, error) {
	t, err := scanToken(s.db.SQL.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN orgs o ON o.id = t.org_id
		WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, fmt.Errorf("token %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Token{}, fmt.Errorf("token %d: %w", id, err)
	}
	return t, nil
}

// RevokeToken revokes the token with id; revoking twice is not an error.
// This node stops accepting it at once, other nodes within
// Options.TokenCacheTTL.
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	res, err := s.db.Exec(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, s.timestamp(), id)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("revoke token %d: %w", id, ErrNotFound)
	}
	s.tokens.evict(id)
	return nil
}

// TokenPrincipal returns the principal of a bearer token (the value after
// "Bearer "), or ErrBadToken (which wraps ErrUnauthenticated). It notes
// the token's last use, at most once a minute.
func (s *Service) TokenPrincipal(ctx context.Context, bearer string) (Principal, error) {
	secret, err := ParseToken(bearer)
	if err != nil {
		return Anonymous, err
	}
	sum := sha256.Sum256(secret)
	now := s.timestamp()
	if p, ok := s.tokens.get(sum, now); ok {
		s.noteUse(ctx, p.TokenID, now)
		return p, nil
	}
	gen := s.tokens.generation()
	var (
		p             = Principal{}
		role          string
		expires       time.Time
		revoked, used sql.NullTime
		orgRoles      string
	)
	err = s.db.SQL.QueryRowContext(ctx, `SELECT t.id, t.name, t.org_id, o.name, t.role, t.expires_at, t.revoked_at, t.last_used_at, o.roles
		FROM api_tokens t JOIN orgs o ON o.id = t.org_id WHERE t.secret_hash = $1`, sum[:]).
		Scan(&p.TokenID, &p.Name, &p.OrgID, &p.Org, &role, &expires, &revoked, &used, &orgRoles)
	if errors.Is(err, sql.ErrNoRows) {
		return Anonymous, ErrBadToken
	}
	if err != nil {
		return Anonymous, fmt.Errorf("token: %w", err)
	}
	p.Role = Role(role)
	if revoked.Valid || !now.Before(expires) || !(Org{Roles: parseStoredRoles(orgRoles)}).Allows(p.Role) {
		return Anonymous, ErrBadToken
	}
	if s.opt.TokenCacheTTL > 0 {
		until := now.Add(s.opt.TokenCacheTTL)
		if expires.Before(until) {
			until = expires
		}
		s.tokens.put(sum, p, until, used.Time, gen)
	}
	s.noteUse(ctx, p.TokenID, now)
	return p, nil
}

// noteUse writes a token's last use when the last write is a minute old.
// It writes in the background: on SQLite the one writer may be busy with
// a long import, and a lookup must not wait for it. A failed write is not
// the request's failure.
func (s *Service) noteUse(ctx context.Context, id int64, now time.Time) {
	if !s.tokens.shouldNote(id, now) {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	s.background.Go(func() {
		defer cancel()
		s.db.Exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, id)
	})
}
