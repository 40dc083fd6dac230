-- A tenant's webhook endpoints. The signing secret is stored AES-256-GCM encrypted (we must sign with it).
-- last_seq: the last event of the tenant already turned into deliveries (events of one tenant commit in seq order).
create table webhook_endpoint (
    id          uuid        primary key,
    client_id   uuid        not null references tenant (client_id) on delete cascade,
    url         text        not null,
    events      text[],                 -- null: every type
    secret      bytea       not null,
    last_seq    bigint      not null,
    created_at  timestamptz not null
);
create index webhook_endpoint_client on webhook_endpoint (client_id);

-- One event to one endpoint. Lifetime: deleted openfinq.webhooks.retention (default 30 days) after it was created,
-- whatever its state; a pending one is older than that only if the retry window was set longer.
create table webhook_delivery (
    id              uuid        primary key,
    endpoint_id     uuid        not null references webhook_endpoint (id) on delete cascade,
    event_id        uuid        not null,
    body            text        not null,  -- the event JSON as sent (kept so a purged event can still be delivered)
    state           text        not null,  -- pending | delivered | failed
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null,
    lease_token     uuid,
    lease_until     timestamptz,
    last_status     int,
    last_error      text,
    created_at      timestamptz not null,
    finished_at     timestamptz
);
create unique index webhook_delivery_once on webhook_delivery (endpoint_id, event_id) where state = 'pending';
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where state = 'pending';
create index webhook_delivery_created on webhook_delivery (created_at);
