-- GoCardless Bank Account Data v2 facade (/api/v2). A secret pair belongs to one tenant_user_id of a tenant; its
-- agreements and requisitions belong to that tenant_user_id (so a new pair of the same user sees them).
-- Lifetimes (enforced hourly by the gocardless-retention job, see GocardlessJobs):
--   gocardless_secret:      kept while in use; revoked by the operator or after 400 days without a token, then
--                           deleted 30 days after revocation. Only a SHA-256 hash of secret_key is stored; the
--                           key that signs its JWTs is random per pair and encrypted (DataCipher).
--   gocardless_requisition: one never linked (CR/GC/UA/RJ) is deleted 7 days after creation; a linked one 30 days
--                           after its consent's expiry (expires_at); deleted at once by DELETE /requisitions/{id}/.
--   gocardless_agreement:   deleted 7 days after creation once no requisition refers to it, or with its requisition.
--   all three:              deleted at once with their tenant (cascade).
create table gocardless_secret (
    id              uuid        primary key,   -- the secret_id (not secret)
    client_id       uuid        not null references tenant (client_id) on delete cascade,
    tenant_user_id  text        not null,
    secret_key_hash text        not null,
    token_key       bytea       not null,      -- HMAC-SHA256 key of its access and refresh JWTs, encrypted
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    created_at      timestamptz not null
);
create index gocardless_secret_client on gocardless_secret (client_id, tenant_user_id);

create table gocardless_agreement (
    id                    uuid        primary key,
    client_id             uuid        not null references tenant (client_id) on delete cascade,
    tenant_user_id        text        not null,
    institution_id        text        not null,
    max_historical_days   integer     not null,
    access_valid_for_days integer     not null,
    access_scope          text        not null,  -- comma separated
    accepted_at           timestamptz,
    created_at            timestamptz not null
);
create index gocardless_agreement_user on gocardless_agreement (client_id, tenant_user_id);

create table gocardless_requisition (
    id             uuid        primary key,
    client_id      uuid        not null references tenant (client_id) on delete cascade,
    tenant_user_id text        not null,
    institution_id text        not null,
    skill          text        not null,
    agreement_id   uuid        references gocardless_agreement (id) on delete set null,
    redirect       text        not null,
    reference      text        not null,
    user_language  text,
    status         text        not null,     -- CR, GC, RJ, LN (UA, GA and EX are told from Connect and the consent)
    connect_flow   uuid,                     -- the Connect flow opened by the link (Connect's id)
    consent_id     uuid,                     -- the consent once linked (the consent feature's id)
    expires_at     timestamptz,              -- the consent's expiry once linked
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    unique (client_id, tenant_user_id, reference)
);
create index gocardless_requisition_user on gocardless_requisition (client_id, tenant_user_id, created_at);
