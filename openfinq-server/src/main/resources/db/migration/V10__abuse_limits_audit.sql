-- Abuse limits (cluster-wide: all state here, not in node memory), secret rotation grace, endpoint binding
-- of signed requests, and the audit log.

-- Failed authentications per key ('client:<client_id>' or 'addr:<address>') in a fixed window, and the
-- lockout they led to. Lifetime: a row is deleted by the abuse purge job once its window and its lockout
-- are over.
create table auth_failure (
    key           text primary key,
    window_start  timestamptz not null,
    failures      integer     not null,
    locked_until  timestamptz
);
create index auth_failure_locked on auth_failure (locked_until) where locked_until is not null;

-- A tenant's own request rate (requests per minute) when it is not the configured default.
-- Lifetime: the tenant's (deleted with it).
create table tenant_rate_limit (
    client_id           uuid primary key references tenant (client_id) on delete cascade,
    requests_per_minute integer not null check (requests_per_minute > 0)
);

-- The shared token bucket of each tenant: nodes take tokens from it in small leases.
-- Lifetime: deleted by the abuse purge job when unused for an hour, and with its tenant.
create table tenant_rate_bucket (
    client_id    uuid primary key references tenant (client_id) on delete cascade,
    capacity     double precision not null,   -- requests per minute when last taken from
    tokens       double precision not null,
    refilled_at  timestamptz      not null,
    last_grant   integer          not null default 0
);

-- Secret rotation with a grace period: the previous hash keeps working until the time given.
alter table tenant add column prev_client_secret_hash text,
                   add column prev_client_secret_until timestamptz,
                   add column prev_client_app_key_hash text,
                   add column prev_client_app_key_until timestamptz;

-- Signed requests must carry htm/htu claims naming their own method and path.
alter table tenant add column require_binding boolean not null default false;

-- Append-only record of admin actions, consent deletions and authentication lockouts. Never a secret.
-- Lifetime: openfinq.audit.retention (400 days by default), enforced by the audit purge job, the only
-- writer allowed to delete (it sets openfinq.audit_purge for its transaction); updates are always refused.
create table audit_event (
    id         bigint generated always as identity primary key,
    at         timestamptz not null,
    actor      text        not null,      -- 'admin:<token id>', 'cli:<os user>', 'client:<client_id>', 'system'
    action     text        not null,      -- e.g. 'tenant.create', 'consent.delete', 'auth.lockout'
    client_id  uuid,                      -- the tenant concerned (no foreign key: the record outlives it)
    target     text,                      -- the object acted on (skill, signer, kid, credentials_id, locked key)
    address    text,                      -- source address of the request, when there was one
    details    jsonb       not null default '{}'
);
create index audit_event_at on audit_event (at);
create index audit_event_client on audit_event (client_id, id);

create function audit_event_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' and coalesce(current_setting('openfinq.audit_purge', true), '') = 'on' then
        return old;
    end if;
    raise exception 'audit_event is append-only';
end $$;
create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function audit_event_append_only();
