-- Onboarding sessions and the consents (credentials) they produce.
-- Issued tokens (nonces, temp tokens, access tokens, redirect states) are stored only as SHA-256 hashes;
-- what banks give us (consent and payment ids) and uploaded files are stored AES-256-GCM encrypted.

create table session (
    id              uuid primary key,
    client_id       uuid        not null references tenant (client_id) on delete cascade,
    tenant_user_id  text        not null,
    skill           text        not null,
    status          text        not null check (status in ('SESSION_CREATED', 'SESSION_IN_PROGRESS',
                                        'SESSION_COMPLETED', 'SESSION_FAILED', 'SESSION_EXPIRED')),
    next_order      integer     not null default 1,
    awaiting        text,                       -- 'bank' while the PSU is at the bank, 'upload' for an upload
    error_code      text,
    error_message   text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    expires_at      timestamptz not null
);
create index session_open_expiry on session (expires_at) where status in ('SESSION_CREATED', 'SESSION_IN_PROGRESS');

create table session_nonce (
    nonce_hash  text primary key,
    session_id  uuid        not null references session (id) on delete cascade,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index session_nonce_session on session_nonce (session_id);

create table session_step (
    id          uuid primary key,
    session_id  uuid        not null references session (id) on delete cascade,
    name        text        not null,
    step_order  integer     not null,
    data        jsonb       not null,              -- validated step data, or {} when it is personal data
    data_sealed bytea,                             -- personal step data, encrypted
    created_at  timestamptz not null
);
create index session_step_session on session_step (session_id, step_order);

create table sca_redirect (
    state_hash         text primary key,
    session_id         uuid        not null references session (id) on delete cascade,
    kind               text        not null check (kind in ('consent', 'payment')),
    bank_reference     bytea       not null,   -- encrypted bank consent or payment id
    psu_redirect_link  text        not null,
    created_at         timestamptz not null,
    used_at            timestamptz
);
create index sca_redirect_session on sca_redirect (session_id);

create table consent (
    id                    uuid primary key,   -- the credentials_id
    client_id             uuid        not null references tenant (client_id) on delete cascade,
    tenant_user_id        text        not null,
    skill                 text        not null,
    servicer_id           uuid        not null,
    session_id            uuid references session (id) on delete set null,
    status                text        not null check (status in ('ACTIVE', 'DELETED', 'EXPIRED')),
    access_token_hash     text unique,
    bank_consent          bytea,               -- encrypted bank consent id (AIS skills)
    consent_exp           timestamptz not null,
    max_data_retention    timestamptz not null,
    pcd_data_retention    integer,
    deleted_at            timestamptz,
    bank_revoked_at       timestamptz,
    created_at            timestamptz not null,
    updated_at            timestamptz not null
);
create index consent_tenant_user on consent (client_id, tenant_user_id);

create table temp_token (
    token_hash  text primary key,
    session_id  uuid        not null references session (id) on delete cascade,
    consent_id  uuid        not null references consent (id) on delete cascade,
    client_id   uuid        not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);

create table session_document (
    id            uuid primary key,
    session_id    uuid        not null references session (id) on delete cascade,
    step_id       uuid        not null references session_step (id) on delete cascade,
    file_name     text,
    content_type  text        not null,
    size_bytes    integer     not null,
    sha256        text        not null,
    content       bytea       not null,        -- encrypted
    created_at    timestamptz not null
);
