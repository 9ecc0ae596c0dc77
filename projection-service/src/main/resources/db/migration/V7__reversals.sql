-- Reversals: a transfer that moves all or part of a completed transfer back, from the original's
-- target to its source, under its own transfer id. Its TransferDebited and TransferCredited (v2)
-- name the original in reversalOf; every other transfer's carry null.
--
-- "transfers": the reversal's row names the original; the original's row says how much of it
-- completed reversals have moved back. reversed_amount_minor is not a running sum of events: the
-- projection sets it to the sum of the COMPLETED rows whose reversal_of names the transfer, after
-- every batch, for every transfer the batch touched and every original those name. So it comes out
-- the same whichever partition is read first (a replay may read a reversal before its original),
-- and an event delivered again changes nothing.
alter table transfers add column reversal_of text;
alter table transfers add column reversed_amount_minor bigint not null default 0;
-- "The reversals of a transfer, oldest first": the recount above and GET /transfers/{id}'s list.
create index transfers_by_reversal_of on transfers (reversal_of, requested_at, transfer_id)
    where reversal_of is not null;

-- "statements": the lines of a reversal's debit (on the original's target) and credit (on the
-- original's source) name the original too.
alter table entries add column reversal_of text;

-- Rows written before this migration have null and 0. That is their true value unless the command
-- service made reversals before this projection service was deployed: then rebuild "transfers" and
-- "statements" (POST /projections/{name}/rebuild), which replays the log into these columns.
