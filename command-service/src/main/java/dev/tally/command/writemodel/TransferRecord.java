package dev.tally.command.writemodel;

import dev.tally.command.transfers.TransferOutcome;
import dev.tally.command.transfers.TransferState;
import dev.tally.command.transfers.TransferTerms;
import java.time.Instant;
import java.util.List;

/**
 * One transfer id in the write model's {@code transfers} store (flat, for JSON). A missing entry
 * means the id is free. Settled entries are kept forever: that is what makes an id single-use.
 */
public record TransferRecord(String status, TransferTerms terms, String idempotencyKey, Instant requestedAt,
                             String originCommandId, String confinedToOwner, List<String> waiting,
                             TransferOutcome outcome) {

    static final String STARTED = "STARTED";
    static final String SETTLED = "SETTLED";

    public TransferRecord {
        waiting = waiting == null ? List.of() : List.copyOf(waiting);
    }

    static TransferState toState(TransferRecord record) {
        if (record == null) {
            return new TransferState.Unclaimed();
        }
        return SETTLED.equals(record.status)
                ? new TransferState.Settled(record.terms, record.idempotencyKey, record.requestedAt, record.outcome)
                : new TransferState.Started(record.terms, record.idempotencyKey, record.requestedAt,
                        record.originCommandId, record.confinedToOwner, record.waiting);
    }

    static TransferRecord of(TransferState.Started started) {
        return new TransferRecord(STARTED, started.terms(), started.idempotencyKey(), started.requestedAt(),
                started.originCommandId(), started.confinedToOwner(), started.waiting(), null);
    }

    static TransferRecord of(TransferState.Settled settled) {
        return new TransferRecord(SETTLED, settled.terms(), settled.idempotencyKey(), settled.requestedAt(), null,
                null, List.of(), settled.outcome());
    }
}
