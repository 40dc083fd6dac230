-- Payments initiated through payment_intent steps, and idempotency keys for step calls.

create table payment (
    id                        uuid primary key,
    client_id                 uuid        not null references tenant (client_id) on delete cascade,
    session_id                uuid        references session (id) on delete set null,
    tenant_user_id            text        not null,
    skill                     text        not null,
    servicer_id               uuid        not null,
    product                   text        not null,
    bank_payment              bytea       not null,     -- encrypted bank payment id
    end_to_end_id             text,
    debtor_iban               text        not null,
    creditor_name             text        not null,
    creditor_iban             text        not null,
    amount                    numeric     not null check (amount > 0),
    currency                  text        not null,
    remittance                text,
    requested_execution_date  date,
    status                    text        not null check (status in ('initiated', 'accepted', 'pending', 'settled',
                                                                    'rejected', 'cancelled')),
    bank_status               text        not null,
    created_at                timestamptz not null,
    updated_at                timestamptz not null,
    next_poll_at              timestamptz,              -- null once final
    polls                     integer     not null default 0
);
create index payment_client on payment (client_id, created_at);
create index payment_poll on payment (next_poll_at) where next_poll_at is not null;

create table idempotency_key (
    client_id     uuid        not null references tenant (client_id) on delete cascade,
    key           text        not null,
    request_hash  text        not null,
    response      jsonb       not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    primary key (client_id, key)
);
create index idempotency_key_expiry on idempotency_key (expires_at);
