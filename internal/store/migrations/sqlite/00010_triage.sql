-- Triage results kept for linking across cases: which seizure held which
-- content (by SHA-256) and which camera bodies. See ../postgres/00010_triage.sql
-- for the same schema on PostgreSQL; the two must stay equivalent.

-- +goose Up
CREATE TABLE triage_seizures (
    id         INTEGER PRIMARY KEY,
    case_name  TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (case_name, name)
);

CREATE TABLE triage_media (
    seizure_id INTEGER NOT NULL REFERENCES triage_seizures (id) ON DELETE CASCADE,
    -- Lower-case hex digests and PDQ, as in the triage report.
    sha256     TEXT NOT NULL,
    md5        TEXT NOT NULL,
    pdq        TEXT NOT NULL DEFAULT '',
    verdict    TEXT NOT NULL,
    -- "make model #serial" when the EXIF names a camera body, else ''.
    camera     TEXT NOT NULL DEFAULT '',
    -- For known material whose victim is not identified: the bank's series.
    series     TEXT NOT NULL DEFAULT '',
    unidentified INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (seizure_id, sha256)
);
CREATE INDEX triage_media_sha256 ON triage_media (sha256);
CREATE INDEX triage_media_camera ON triage_media (camera);

-- +goose Down
DROP TABLE triage_media;
DROP TABLE triage_seizures;
