-- Read models of the "accounts" projection. Everything here can be dropped and rebuilt from
-- tally.ledger.events; the projection service owns this schema (the query service only reads it).

create table accounts (
    account_id            text        primary key,
    owner                 text        not null,
    currency              text        not null,
    scale                 int         not null,
    balance_minor         bigint      not null,
    overdraft_limit_minor bigint      not null,
    status                text        not null,
    -- the sequence of the last event applied: what a consistency token is compared with
    version               bigint      not null,
    metadata              jsonb       not null default '{}',
    opened_at             timestamptz not null,
    updated_at            timestamptz not null
);

create index accounts_by_owner on accounts (owner, account_id);

-- One line per movement of money, in the account's order.
create table entries (
    account_id              text        not null,
    sequence                bigint      not null,
    type                    text        not null,
    amount_minor            bigint      not null, -- signed: credits positive, debits negative
    balance_after_minor     bigint      not null,
    currency                text        not null,
    scale                   int         not null,
    transaction_id          text        not null,
    transfer_id             text,
    counterparty_account_id text,
    reference               text,
    metadata                jsonb       not null default '{}',
    actor                   text        not null,
    event_id                text        not null,
    occurred_at             timestamptz not null,
    primary key (account_id, sequence)
);

-- Where each projection stands in each partition, written in the same transaction as its rows:
-- the database, not Kafka's group offsets, says what has been applied.
create table projection_checkpoints (
    projection  text        not null,
    topic       text        not null,
    partition   int         not null,
    next_offset bigint      not null,
    updated_at  timestamptz not null,
    primary key (projection, topic, partition)
);
