-- The roles an organisation's users and API tokens may hold. See
-- ../postgres/00031_org_roles.sql for the same change on PostgreSQL.
--
-- roles is a comma-separated list of role names ("partner",
-- "investigator,victim_id"); empty means none. An organisation that exists
-- already keeps the roles its active users and unrevoked tokens hold, so
-- that no one loses access by the upgrade; the operator narrows it with
-- `haven admin set-org-roles`.

-- +goose Up
ALTER TABLE orgs ADD COLUMN roles TEXT NOT NULL DEFAULT '';
UPDATE orgs SET roles = COALESCE((
    SELECT group_concat(role, ',') FROM (
        SELECT role FROM users WHERE org_id = orgs.id AND disabled_at IS NULL
        UNION
        SELECT role FROM api_tokens WHERE org_id = orgs.id AND revoked_at IS NULL)), '');

-- +goose Down
ALTER TABLE orgs DROP COLUMN roles;
