-- Sync status facts for tenants, the transaction change log behind /v1/transactions/sync, and the events outbox.

-- What consents/get tells about a consent's sync.
alter table consent_sync
    add column initial_sync_completed_at timestamptz,
    add column last_error_code           text,
    add column last_error_source         text,
    add column last_error_retryable      boolean,
    add column notified_seq              bigint not null default 0;   -- changes up to here were told in an event
update consent_sync set initial_sync_completed_at = last_good_sync_at where last_good_sync_at is not null;

-- Every insert, change and removal of a cached transaction takes the next number of one sequence; writers of one
-- consent hold a transaction-scoped advisory lock on it, so within a consent numbers commit in order.
create sequence transaction_change_seq;
alter table transaction
    add column changed_at  timestamptz,   -- 'timestamp' on the wire: last created or changed, whole seconds
    add column created_seq bigint,        -- the change number it was created with
    add column change_seq  bigint;        -- the change number of its last change
update transaction set changed_at = date_trunc('second', inserted_at), created_seq = nextval('transaction_change_seq');
update transaction set change_seq = created_seq;
alter table transaction
    alter column changed_at set not null,
    alter column created_seq set not null,
    alter column change_seq set not null;
create index transaction_account_change on transaction (account_id, change_seq);
create index transaction_account_changed on transaction (account_id, changed_at);

-- A transaction removed from the cache because the bank stopped reporting it (a pending one dropped).
-- Lifetime: openfinq.events.retention (30 days), enforced by the change log purge job.
create table transaction_tombstone (
    consent_id      uuid        not null references consent (id) on delete cascade,
    transaction_id  uuid        not null,
    utx_id          text        not null,
    created_seq     bigint      not null,
    change_seq      bigint      not null,
    removed_at      timestamptz not null,
    primary key (consent_id, change_seq)
);
create index transaction_tombstone_removed on transaction_tombstone (removed_at);

-- The events outbox: written in the same database transaction as the change it tells. Ordered per tenant by seq
-- (writers of one tenant hold a transaction-scoped advisory lock, so seq commits in order).
-- Lifetime: openfinq.events.retention (30 days), enforced by the events purge job.
create table event (
    seq             bigint generated always as identity primary key,
    id              uuid        not null unique,
    client_id       uuid        not null references tenant (client_id) on delete cascade,
    type            text        not null,
    tenant_user_id  text,
    credentials_id  uuid,
    payment_id      uuid,
    data            jsonb       not null,
    dedupe_key      text        unique,     -- an event told at most once (e.g. consent.expiring per consent and threshold)
    created_at      timestamptz not null
);
create index event_client_seq on event (client_id, seq);
create index event_created on event (created_at);
