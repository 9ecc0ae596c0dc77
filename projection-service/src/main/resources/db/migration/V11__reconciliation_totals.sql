-- Running totals for the scheduled reconciliation (issue 17): each is kept by the projection that
-- owns the rows it sums, in the same transaction as those rows, so the every-interval checks compare
-- one row per account instead of summing every statement line and history row each time. The full
-- checks (POST /reconciliation, and every TALLY_RECONCILIATION_FULL_INTERVAL) still sum the tables,
-- and also compare these totals with them.

-- The statements projection's: per account, what its statement lines add up to.
create table statement_totals (
    account_id        text   primary key,
    currency          text   not null,
    total_minor       bigint not null,  -- every line: the balance the lines explain
    deposits_minor    bigint not null,  -- lines of type DEPOSIT
    withdrawals_minor bigint not null,  -- lines of type WITHDRAWAL (negative amounts)
    lines             bigint not null
);
insert into statement_totals (account_id, currency, total_minor, deposits_minor, withdrawals_minor, lines)
select account_id, min(currency), sum(amount_minor),
       coalesce(sum(amount_minor) filter (where type = 'DEPOSIT'), 0),
       coalesce(sum(amount_minor) filter (where type = 'WITHDRAWAL'), 0), count(*)
from entries group by account_id;

-- The account-history projection's: per account, how many events its history holds.
create table history_counts (
    account_id text   primary key,
    events     bigint not null
);
insert into history_counts (account_id, events)
select account_id, count(*) from account_history group by account_id;

-- What the ledger total and the held check read every interval: only what is open or in flight.
create index transfers_in_flight on transfers (status) where status in ('PENDING', 'POSTED');
create index holds_open on holds (account_id) where status = 'OPEN';

-- When the last full run (tables summed, totals checked against them) was stored: the scheduled
-- run is a full one again once this is TALLY_RECONCILIATION_FULL_INTERVAL old, on one instance.
alter table reconciliation_reports add column full_checked_at timestamptz;
