-- The audit trail: append-only records chained by SHA-256. See
-- ../sqlite/00030_audit.sql for the same schema on SQLite; the two must
-- stay equivalent. internal/audit documents the chain.

-- +goose Up
CREATE TABLE audit_log (
    -- Assigned by the appender as the head's last_id + 1, so that a gap
    -- shows a removed record.
    id        BIGINT PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL DEFAULT '',
    org       TEXT NOT NULL DEFAULT '',
    role      TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL DEFAULT '',
    object    TEXT NOT NULL DEFAULT '',
    result    TEXT NOT NULL DEFAULT '',
    remote    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '',
    -- Lowercase hex SHA-256: the previous record's hash, and this record's
    -- hash over its canonical encoding and prev_hash.
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- One row: the chain's last record. Appenders lock it (SELECT ... FOR
-- UPDATE), which keeps the chain linear with several nodes.
CREATE TABLE audit_head (
    id        BIGINT PRIMARY KEY CHECK (id = 1),
    last_id   BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Defence in depth: the application never changes or removes a record.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TRIGGER audit_log_no_delete ON audit_log;
DROP TRIGGER audit_log_no_update ON audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE audit_head;
DROP TABLE audit_log;
