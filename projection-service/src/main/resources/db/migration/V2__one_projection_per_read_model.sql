-- The read side grows from one projection to one per read model, each with its own tables and
-- checkpoint. Read models are disposable: rather than migrate rows, empty them and let every
-- projection replay tally.ledger.events from the start.

truncate accounts, entries;
delete from projection_checkpoints;

-- How far each projection has got, per account: the consistency token is compared with this, and
-- the account's currency and scale let any projection format or check amounts.
create table projection_account_positions (
    projection text   not null,
    account_id text   not null,
    version    bigint not null,
    currency   text   not null,
    scale      int    not null,
    primary key (projection, account_id)
);

-- "account-history": one row per event, so the account as of any instant is one index lookup.
create table account_history (
    account_id            text        not null,
    sequence              bigint      not null,
    occurred_at           timestamptz not null,
    owner                 text        not null,
    currency              text        not null,
    scale                 int         not null,
    balance_minor         bigint      not null,
    overdraft_limit_minor bigint      not null,
    status                text        not null,
    opened_at             timestamptz not null,
    primary key (account_id, sequence)
);
create index account_history_as_of on account_history (account_id, occurred_at desc, sequence desc);

-- "daily-balances": per account and UTC day.
create table daily_balances (
    account_id            text   not null,
    day                   date   not null,
    opening_balance_minor bigint not null,
    closing_balance_minor bigint not null,
    total_in_minor        bigint not null,
    total_out_minor       bigint not null,
    entry_count           int    not null,
    primary key (account_id, day)
);

-- "transfers": one row per transfer and its saga status.
create table transfers (
    transfer_id     text        primary key,
    from_account_id text        not null,
    to_account_id   text        not null,
    amount_minor    bigint      not null,
    currency        text        not null,
    scale           int         not null,
    status          text        not null,
    reason_code     text,
    reason          text,
    reference       text,
    requested_at    timestamptz not null,
    completed_at    timestamptz,
    correlation_id  text        not null
);
create index transfers_by_from on transfers (from_account_id, requested_at);
create index transfers_by_to on transfers (to_account_id, requested_at);

-- "audit": who did what and when, from every event's metadata.
create table audit_log (
    event_id       text        primary key,
    account_id     text        not null,
    sequence       bigint      not null,
    event_type     text        not null,
    actor          text        not null,
    occurred_at    timestamptz not null,
    command_id     text        not null,
    correlation_id text        not null,
    causation_id   text,
    details        jsonb       not null default '{}'
);
create index audit_by_account on audit_log (account_id, occurred_at);
create index audit_by_actor on audit_log (actor, occurred_at);
create index audit_by_time on audit_log (occurred_at);
