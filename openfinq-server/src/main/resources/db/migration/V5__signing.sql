-- Signer identities and their public keys for /v1s, and the replay guard.

alter table tenant add column require_jti boolean not null default false;

create table signer (
    id          uuid primary key,
    client_id   uuid        not null references tenant (client_id) on delete cascade,
    identity    text        not null,            -- iss / sub / email of the JWS (a service account e-mail)
    key_url     text,                            -- a JWKS or Google-style X.509 URL to fetch keys from
    created_at  timestamptz not null,
    unique (client_id, identity)
);

create table signer_key (
    signer_id   uuid        not null references signer (id) on delete cascade,
    kid         text        not null,
    public_key  text        not null,            -- X.509 SubjectPublicKeyInfo, PEM
    bits        integer     not null,
    created_at  timestamptz not null,
    primary key (signer_id, kid)
);

create table used_jti (
    client_id   uuid        not null references tenant (client_id) on delete cascade,
    jti_hash    text        not null,
    expires_at  timestamptz not null,
    primary key (client_id, jti_hash)
);
create index used_jti_expiry on used_jti (expires_at);
