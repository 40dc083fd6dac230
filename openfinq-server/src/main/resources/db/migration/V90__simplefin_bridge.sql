-- SimpleFIN Bridge access grants: one per setup token issued for a tenant_user_id of a tenant. Only SHA-256 hashes
-- of what we issue are stored (the claim token inside the setup token, and the access URL's password).
-- Lifetime (enforced hourly by the simplefin-retention job, see SimplefinJobs):
--   unclaimed: deleted once its claim window (7 days) has passed;
--   claimed:   kept while in use; revoked (by the operator, or automatically after 400 days without a read),
--              then deleted 30 days after revocation;
--   with its tenant: deleted at once (cascade).
create table simplefin_grant (
    id               uuid        primary key,
    client_id        uuid        not null references tenant (client_id) on delete cascade,
    tenant_user_id   text        not null,
    claim_hash       text        not null unique,
    claim_expires_at timestamptz not null,
    claimed_at       timestamptz,
    username         text        unique,        -- the access URL's user name (not secret), set on claim
    password_hash    text,                      -- SHA-256 of the access URL's password, set on claim
    last_used_at     timestamptz,
    revoked_at       timestamptz,
    created_at       timestamptz not null
);
create index simplefin_grant_client on simplefin_grant (client_id, tenant_user_id);
