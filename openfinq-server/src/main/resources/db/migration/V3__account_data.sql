-- The account data cache, filled by sync jobs from the bank.

create table account (
    id                 uuid primary key,          -- openfinq account id (account_id in filters)
    consent_id         uuid        not null references consent (id) on delete cascade,
    resource_id        text        not null,      -- the bank's id within the consent
    iban               text,
    bic                text,
    currency           text        not null,
    name               text,
    product            text,
    cash_account_type  text,
    owner_name         text,
    updated_at         timestamptz not null,
    last_synced_at     timestamptz,
    unique (consent_id, resource_id)
);

create table balance (
    id                     uuid primary key,
    account_id             uuid        not null references account (id) on delete cascade,
    type                   text        not null,
    amount                 numeric     not null,  -- signed
    currency               text        not null,
    credit_limit_included  boolean,
    native_date            date,
    native_timestamp       timestamptz,
    queried_at             timestamptz not null,
    unique (account_id, type)
);

create table transaction (
    id                    uuid primary key,       -- this consent's record of the transaction
    account_id            uuid        not null references account (id) on delete cascade,
    utx_id                text        not null,   -- same transaction, same id, across syncs and consents
    status                text        not null check (status in ('booked', 'pending')),
    booking_date_time     timestamptz,
    value_date            date,
    amount                numeric     not null check (amount >= 0),
    credit_debit_indicator text       not null check (credit_debit_indicator in ('credit', 'debit')),
    currency              text        not null,
    balance               numeric,                -- signed balance after it, when the bank says
    info                  text,
    category              text,
    counterparty          text,
    bank_transaction_id   text,
    pending_transaction_id text,                  -- the bank's id while it was pending, once booked
    inserted_at           timestamptz not null,   -- 'timestamp' on the wire
    unique (account_id, utx_id)
);
-- The main read: one consent's accounts, newest first, with date and amount filters.
create index transaction_account_booking on transaction (account_id, booking_date_time desc, utx_id);
create index transaction_account_inserted on transaction (account_id, inserted_at);

create table consent_sync (
    consent_id        uuid primary key references consent (id) on delete cascade,
    state             text        not null check (state in ('pending', 'ok', 'rate_limited', 'error')),
    last_good_sync_at timestamptz,
    next_refresh_at   timestamptz not null,
    retry_at          timestamptz,
    last_error        text,
    updated_at        timestamptz not null
);
create index consent_sync_due on consent_sync (next_refresh_at);

create table sync_job (
    id           uuid primary key,
    consent_id   uuid        not null references consent (id) on delete cascade,
    attended     boolean     not null,
    psu_ip       text,                             -- only while an attended job waits; cleared when it ends
    status       text        not null check (status in ('queued', 'running', 'done', 'failed')),
    attempts     integer     not null default 0,
    lease_until  timestamptz,
    created_at   timestamptz not null,
    finished_at  timestamptz,
    rows_written integer     not null default 0,
    rows_seen    integer     not null default 0,
    error        text
);
-- at most one open job per consent, whichever node asks
create unique index sync_job_one_open on sync_job (consent_id) where status in ('queued', 'running');
create index sync_job_pick on sync_job (created_at) where status in ('queued', 'running');

create table unattended_call (
    consent_id  uuid        not null references consent (id) on delete cascade,
    at          timestamptz not null
);
create index unattended_call_consent on unattended_call (consent_id, at);
