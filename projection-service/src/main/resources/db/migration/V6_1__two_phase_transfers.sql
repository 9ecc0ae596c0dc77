-- Two-phase transfers: a transfer reserved on its source (RESERVED), then posted (POSTED, then
-- COMPLETED or REFUNDED through the usual saga) or ended without moving money (VOIDED by a client,
-- EXPIRED by the write model). The reservation itself is a hold of the source in the "holds" table
-- (hold id 'transfer/' || transfer_id), written by the "accounts" projection like any hold; these
-- columns are the "transfers" projection's view of it. (Version 6.1 rather than 6, so that it does
-- not collide with another branch's V6.)
--
-- No event before this migration reserved a transfer (the two-phase events were released with it),
-- so every existing row is a one-phase transfer: false and null are their true values.
alter table transfers add column two_phase boolean not null default false;
-- TransferReserved's amount; amount_minor becomes the posted amount once the transfer is POSTED
alter table transfers add column reserved_amount_minor bigint;
-- when the write model voids the reservation by itself (EXPIRED) if it is still RESERVED
alter table transfers add column expires_at timestamptz;
-- status: PENDING, COMPLETED, REFUNDED; for two-phase transfers also RESERVED, POSTED, VOIDED, EXPIRED.
-- reason: a refund's detail, or the client's reason for voiding.
