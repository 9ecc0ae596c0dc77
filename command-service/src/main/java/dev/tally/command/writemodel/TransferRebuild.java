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
 * first debit wins, as the transfers read model shows it.
 */
final class TransferRebuild {

    private final Map<String, TransferRecord> transfers = new HashMap<>();
    private final Map<String, Long> creditedVersions = new HashMap<>();
    /** Completed transfers whose target version is filled in at the end: the credit may come later in the read. */
    private final Map<String, String> completedTargets = new HashMap<>();

    void apply(EventMeta meta, AccountEvent event, Account account) {
        switch (event) {
            case AccountEvent.TransferDebited debited -> transfers.putIfAbsent(debited.transferId(),
                    TransferRecord.of(new TransferState.Started(new TransferTerms(meta.getAccountId(),
                            debited.toAccountId(), Money.format(debited.amountMinor(), account.asset()),
                            debited.reference(), debited.metadata()), meta.getIdempotencyKey(), meta.getOccurredAt(),
                            meta.getCommandId(), null, List.of())));
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
            default -> {
            }
        }
    }

    private void settle(String transferId, TransferOutcome outcome) {
        TransferRecord started = transfers.get(transferId);
        if (started != null && TransferRecord.STARTED.equals(started.status())) {
            transfers.put(transferId, TransferRecord.of(new TransferState.Settled(started.terms(),
                    started.idempotencyKey(), started.requestedAt(), outcome)));
        }
    }

    Map<String, TransferRecord> result() {
        Map<String, TransferRecord> all = new HashMap<>(transfers);
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
                        o.sourceOwner()))));
            }
        });
        return Map.copyOf(all);
    }
}
