-- Organisations, users, sessions, API tokens and login throttling. See
-- ../postgres/00020_auth.sql for the same schema on PostgreSQL; the two must
-- stay equivalent.

-- +goose Up
CREATE TABLE orgs (
    id         INTEGER PRIMARY KEY,
    -- Short name, as banks' sharing lists name organisations.
    name       TEXT NOT NULL UNIQUE,
    display    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES orgs (id),
    login                TEXT NOT NULL UNIQUE,
    role                 TEXT NOT NULL,
    -- argon2id in PHC string form.
    password_hash        TEXT NOT NULL,
    -- Set when an administrator chose or generated the password.
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMP NOT NULL,
    password_changed_at  TIMESTAMP NOT NULL,
    disabled_at          TIMESTAMP
);
CREATE INDEX users_org ON users (org_id);

-- The cookie value is never stored, only its SHA-256.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    secret_hash  BLOB NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    remote       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens: the plaintext is shown once, only its SHA-256 is stored.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs (id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    secret_hash  BLOB NOT NULL UNIQUE,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_org ON api_tokens (org_id);

-- Failed logins per login name ("login:<name>") and per remote address
-- ("addr:<prefix>"), shared by every node.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

-- +goose Down
DROP TABLE login_throttle;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE orgs;
