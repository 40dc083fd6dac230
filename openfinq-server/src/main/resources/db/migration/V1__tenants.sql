-- Tenant apps and their skill subscriptions. Only hashes of issued secrets are stored.
create table tenant (
    client_id            uuid primary key,
    name                 text        not null,
    client_secret_hash   text        not null,
    client_app_key_hash  text        not null,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);

create table tenant_skill (
    client_id                uuid        not null references tenant (client_id) on delete cascade,
    skill                    text        not null,
    consent_duration         integer     not null default 129600 check (consent_duration > 0),
    cache_max_data_retention integer     not null default 172800 check (cache_max_data_retention > 0),
    created_at               timestamptz not null default now(),
    primary key (client_id, skill)
);
