-- Holds (issue 14): money reserved on an account until it is captured, released or expires. Written
-- by the "accounts" projection in the same transaction as the account's held amount, so that
-- accounts.held_minor is always the sum of the account's open holds. (Version 5.14: issue 14's, so
-- that it does not collide with another branch's V5.)
--
-- No event before this migration placed a hold (the hold events were released with it), so every
-- existing account and history row holds nothing: 0 is their true value, not a placeholder.
alter table accounts add column held_minor bigint not null default 0;
alter table account_history add column held_minor bigint not null default 0;

create table holds (
    account_id      text        not null,
    hold_id         text        not null,
    amount_minor    bigint      not null,
    currency        text        not null,
    scale           int         not null,
    status          text        not null, -- OPEN, CAPTURED, RELEASED, EXPIRED
    captured_minor  bigint,               -- set when CAPTURED
    released_minor  bigint,               -- set when closed: the part made available again
    expires_at      timestamptz not null,
    placed_at       timestamptz not null,
    closed_at       timestamptz,
    reference       text,
    metadata        jsonb       not null default '{}',
    transaction_id  text,                 -- a capture's FundsWithdrawn (the account's next event)
    -- the sequence of the last event applied to this hold: a row never goes back to an older one
    last_sequence   bigint      not null,
    primary key (account_id, hold_id)
);
-- "The account's open holds, a page at a time": the status filter and the cursor in one range scan.
create index holds_by_status on holds (account_id, status, hold_id);
