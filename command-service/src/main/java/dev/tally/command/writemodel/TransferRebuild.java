package dev.tally.command.writemodel;

import dev.tally.command.ledger.Account;
import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.Money;
import dev.tally.command.transfers.TransferOutcome;
import dev.tally.command.transfers.TransferState;
import dev.tally.command.transfers.TransferTerms;
import dev.tally.events.EventMeta;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code transfers} store derived from the events topic: every transfer id that was ever
 * debited is claimed, with the terms of its (first) debit, and settled when its source recorded the
 * outcome. A log written before transfer ids were single-use may debit one id more than once: the
 * first debit wins, as the transfers read model shows it. A two-phase transfer is claimed by its
 * reservation, and settles when it is voided, expires, or its posted money completes or comes back.
 */
final class TransferRebuild {

    private final Map<String, TransferRecord> transfers = new HashMap<>();
    /** Every reversal seen, by its transfer id (see {@link ReversalFact}). */
    private final Map<String, ReversalFact> reversals = new HashMap<>();
    private final Map<String, Long> creditedVersions = new HashMap<>();
    /** Completed transfers whose target version is filled in at the end: the credit may come later in the read. */
    private final Map<String, String> completedTargets = new HashMap<>();

    void apply(EventMeta meta, AccountEvent event, Account account) {
        switch (event) {
            case AccountEvent.TransferDebited debited -> {
                if (!transfers.containsKey(debited.transferId())) {
                    transfers.put(debited.transferId(), TransferRecord.of(new TransferState.Started(new TransferTerms(
                            meta.getAccountId(), debited.toAccountId(), Money.format(debited.amountMinor(),
                            account.asset()), debited.reference(), debited.metadata(), false, debited.reversalOf()),
                            meta.getIdempotencyKey(), meta.getOccurredAt(), meta.getCommandId(), null, List.of())));
                    if (debited.reversalOf() != null) {
                        reversals.put(debited.transferId(), new ReversalFact(debited.reversalOf(),
                                debited.amountMinor(), null));
                    }
                }
            }
            case AccountEvent.TransferCredited credited ->
                    creditedVersions.put(credited.transferId(), meta.getSequence());
            case AccountEvent.TransferCompleted completed -> {
                Map<String, Long> versions = Map.of(meta.getAccountId(), meta.getSequence());
                completedTargets.put(completed.transferId(), completed.toAccountId());
                settle(completed.transferId(), new TransferOutcome("COMPLETED", completed.amountMinor(),
                        account.asset().code(), account.asset().scale(), null, null, meta.getOccurredAt(), versions,
                        account.owner()));
            }
            case AccountEvent.TransferRefunded refunded -> settle(refunded.transferId(), new TransferOutcome(
                    "REFUNDED", refunded.amountMinor(), account.asset().code(), account.asset().scale(),
                    refunded.reasonCode(), refunded.reasonDetail(), meta.getOccurredAt(),
                    Map.of(meta.getAccountId(), meta.getSequence()), account.owner()));
            case AccountEvent.TransferReserved reserved -> transfers.putIfAbsent(reserved.transferId(),
                    TransferRecord.of(new TransferState.Reserved(new TransferTerms(meta.getAccountId(),
                            reserved.toAccountId(), Money.format(reserved.amountMinor(), account.asset()),
                            reserved.reference(), reserved.metadata(), true), meta.getIdempotencyKey(),
                            meta.getOccurredAt(), new TransferOutcome("RESERVED", reserved.amountMinor(),
                            account.asset().code(), account.asset().scale(), null, null, meta.getOccurredAt(),
                            Map.of(meta.getAccountId(), meta.getSequence()), account.owner(), reserved.expiresAt()))));
            case AccountEvent.TransferPosted posted -> {
                TransferRecord reserved = transfers.get(posted.transferId());
                if (reserved != null && TransferRecord.RESERVED.equals(reserved.status())) {
                    TransferState.Reserved state = (TransferState.Reserved) TransferRecord.toState(reserved);
                    transfers.put(posted.transferId(), TransferRecord.of(new TransferState.Resolving(state,
                            TransferState.Action.POST, Money.format(posted.postedMinor(), account.asset()),
                            meta.getCommandId(), List.of())));
                }
            }
            case AccountEvent.TransferVoided voided -> settle(voided.transferId(), new TransferOutcome(
                    voided.expired() ? "EXPIRED" : "VOIDED", voided.releasedMinor(), account.asset().code(),
                    account.asset().scale(), null, voided.reason(), meta.getOccurredAt(),
                    Map.of(meta.getAccountId(), meta.getSequence()), account.owner()));
            default -> {
            }
        }
    }

    /**
     * What a reversal did to the transfer it reverses, applied once the whole log is read: the
     * reversal's events are on the original's target, its original's on the source, and a rebuild
     * may read either partition first.
     *
     * @param completed null while in flight, then whether it moved the money back
     */
    private record ReversalFact(String originalId, long amountMinor, Boolean completed) {
    }

    /** Settles a transfer in flight, or a two-phase one being posted or still reserved (void, expiry). */
    private void settle(String transferId, TransferOutcome outcome) {
        TransferRecord open = transfers.get(transferId);
        if (open == null) {
            return;
        }
        if (TransferRecord.STARTED.equals(open.status()) && open.terms().reversalOf() != null) {
            reversals.put(transferId, new ReversalFact(open.terms().reversalOf(), outcome.amountMinor(),
                    "COMPLETED".equals(outcome.status())));
        }
        switch (open.status()) {
            case TransferRecord.STARTED -> transfers.put(transferId, TransferRecord.of(new TransferState.Settled(
                    open.terms(), open.idempotencyKey(), open.requestedAt(), outcome)));
            case TransferRecord.RESERVED, TransferRecord.RESOLVING -> transfers.put(transferId, TransferRecord.of(
                    new TransferState.Settled(open.terms(), open.idempotencyKey(), open.requestedAt(),
                            outcome.expiringAt(open.outcome().expiresAt()))));
            default -> {
            }
        }
    }

    Map<String, TransferRecord> result() {
        Map<String, TransferRecord> all = new HashMap<>(transfers);
        reversals.forEach((reversalId, fact) -> {
            TransferRecord original = all.get(fact.originalId());
            if (original != null && TransferRecord.SETTLED.equals(original.status())) {
                TransferState.Settled settled = (TransferState.Settled) TransferRecord.toState(original);
                TransferState.Reversals before = settled.reversals();
                TransferState.Reversals after = fact.completed() == null
                        ? before.started(reversalId, fact.amountMinor())
                        : before.ended(reversalId, fact.completed(), fact.amountMinor());
                all.put(fact.originalId(), TransferRecord.of(settled.with(after)));
            }
        });
        completedTargets.forEach((transferId, target) -> {
            TransferRecord settled = all.get(transferId);
            Long credited = creditedVersions.get(transferId);
            if (settled != null && settled.outcome() != null && credited != null) {
                Map<String, Long> versions = new HashMap<>(settled.outcome().versions());
                versions.put(target, credited);
                TransferOutcome o = settled.outcome();
                all.put(transferId, TransferRecord.of(new TransferState.Settled(settled.terms(),
                        settled.idempotencyKey(), settled.requestedAt(), new TransferOutcome(o.status(),
                        o.amountMinor(), o.currency(), o.scale(), o.reasonCode(), o.reason(), o.settledAt(), versions,
                        o.sourceOwner(), o.expiresAt()), settled.reversals())));
            }
        });
        return Map.copyOf(all);
    }
}
