-- Events a projection could not apply, parked with their error. Later events of the same account
-- park behind them (an account's order is kept); other accounts keep flowing.
create table dead_letters (
    id          bigserial   primary key,
    projection  text        not null,
    topic       text        not null,
    partition   int         not null,
    "offset"    bigint      not null,
    account_id  text,
    event_type  text,
    error       text        not null,
    payload     bytea,
    status      text        not null, -- PARKED, RETRIED, SKIPPED
    parked_at   timestamptz not null,
    resolved_at timestamptz,
    unique (projection, topic, partition, "offset")
);
create index dead_letters_parked on dead_letters (projection, account_id) where status = 'PARKED';
