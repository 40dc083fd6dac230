-- Authorisation variants (NextGenPSD2 explicit start, OAuth2 SCA, decoupled).

-- What a connector needs back when the PSU's browser returns (e.g. the OAuth2 token endpoint and PKCE verifier),
-- encrypted like bank_reference. Lifetime: that of the sca_redirect row.
alter table sca_redirect add column continuation bytea;

-- A session whose end-user approves in the bank's app (decoupled SCA): polled by the decoupled-sca-poll job until
-- the bank decides or the session ends. Lifetime: deleted with its session (cascade); rows of ended sessions are
-- deleted by the onboarding-retention job with the sessions, and a delivered temp_token clears consent_id.
create table sca_decoupled (
    session_id     uuid primary key references session (id) on delete cascade,
    bank_reference bytea       not null,   -- encrypted bank consent id
    psu_ip         text,
    consent_id     uuid,                   -- the credentials created once the bank approved, until the temp_token is delivered
    polls          integer     not null default 0,
    next_poll_at   timestamptz,            -- null once decided
    claimed_until  timestamptz,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);
create index sca_decoupled_due on sca_decoupled (next_poll_at) where next_poll_at is not null;
