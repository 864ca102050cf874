-- The roles an organisation's users and API tokens may hold. See
-- ../sqlite/00031_org_roles.sql for the same change on SQLite.
--
-- roles is a comma-separated list of role names ("partner",
-- "investigator,victim_id"); empty means none. An organisation that exists
-- already keeps the roles its active users and unrevoked tokens hold, so
-- that no one loses access by the upgrade; the operator narrows it with
-- `haven admin set-org-roles`.

-- +goose Up
ALTER TABLE orgs ADD COLUMN roles TEXT NOT NULL DEFAULT '';
UPDATE orgs o SET roles = COALESCE((
    SELECT string_agg(r.role, ',' ORDER BY r.role) FROM (
        SELECT role FROM users WHERE org_id = o.id AND disabled_at IS NULL
        UNION
        SELECT role FROM api_tokens WHERE org_id = o.id AND revoked_at IS NULL) r), '');

-- +goose Down
ALTER TABLE orgs DROP COLUMN roles;
