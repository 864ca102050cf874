-- Banks and their entries. See ../postgres/00001_banks.sql for the same
-- schema on PostgreSQL; the two must stay equivalent.

-- +goose Up
CREATE TABLE banks (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    source_org  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL CHECK (kind IN ('positive', 'negative')),
    -- JSON object: signal kind -> match distance.
    thresholds  TEXT NOT NULL DEFAULT '{}',
    -- Bumped by every change to the bank or its entries.
    seq         INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- Organisations, beside the bank's source, that may match against it.
CREATE TABLE bank_shares (
    bank_id INTEGER NOT NULL REFERENCES banks (id) ON DELETE CASCADE,
    org     TEXT NOT NULL,
    PRIMARY KEY (bank_id, org)
);

CREATE TABLE entries (
    id                  INTEGER PRIMARY KEY,
    bank_id             INTEGER NOT NULL REFERENCES banks (id),
    kind                TEXT NOT NULL,
    -- The hash as raw bytes; for kinds without a fixed size (vpdq), the
    -- SHA-256 of value_text, which holds the value.
    value               BLOB NOT NULL,
    value_text          TEXT,
    quality             INTEGER,
    category_scheme     TEXT NOT NULL DEFAULT '',
    category_value      TEXT NOT NULL DEFAULT '',
    series              TEXT NOT NULL DEFAULT '',
    -- NULL: the source did not say.
    victim_identified   BOOLEAN,
    offender_identified BOOLEAN,
    self_generated      BOOLEAN,
    distributed         BOOLEAN,
    source_id           TEXT NOT NULL DEFAULT '',
    tags                TEXT,
    added_by            TEXT NOT NULL DEFAULT '',
    added_at            TIMESTAMP NOT NULL,
    -- The bank's seq of the entry's last change.
    seq                 INTEGER NOT NULL,
    withdrawn_at        TIMESTAMP,
    withdrawn_by        TEXT NOT NULL DEFAULT '',
    withdrawn_reason    TEXT NOT NULL DEFAULT '',
    extra               TEXT
);

-- Lookup of active entries by hash; at most one active opinion per hash
-- and bank, which makes re-importing a list idempotent.
CREATE UNIQUE INDEX entries_active_value ON entries (kind, value, bank_id) WHERE withdrawn_at IS NULL;
-- Export and changes since a sequence number.
CREATE INDEX entries_bank_seq ON entries (bank_id, seq);

-- +goose Down
DROP TABLE entries;
DROP TABLE bank_shares;
DROP TABLE banks;
