-- Tenant settings for hosted pages, redirects and CORS (kept with the tenant, deleted with it).
alter table tenant
    add column display_name    text,
    add column logo_url        text,
    add column brand_color     text,
    add column redirect_urls   text[] not null default '{}',
    add column allowed_origins text[] not null default '{}';

-- Connect: one row per connect_url. Lifetime: deleted by ConnectPurgeJob one day after it expires.
create table connect_session (
    id                uuid primary key,
    token_hash        text        not null unique,
    client_id         uuid        not null references tenant (client_id) on delete cascade,
    tenant_user_id    text        not null,
    psu_redirect_link text        not null,
    skill             text,
    country           text,
    type              text        not null,
    language          text,
    payment           bytea,
    browser_hash      text,
    opened_at         timestamptz,
    session_id        uuid,
    bank_url          bytea,
    finished_at       timestamptz,
    created_at        timestamptz not null,
    expires_at        timestamptz not null
);
create index connect_session_expires on connect_session (expires_at);
