package dev.tally.command.writemodel;

import dev.tally.command.transfers.TransferOutcome;
import dev.tally.command.transfers.TransferState;
import dev.tally.command.transfers.TransferTerms;
import java.time.Instant;
import java.util.List;

/**
 * One transfer id in the write model's {@code transfers} store (flat, for JSON). A missing entry
 * means the id is free. Settled entries are kept forever: that is what makes an id single-use.
 *
 * @param outcome  the settled outcome, or for a reserved two-phase transfer its reservation
 * @param action   while a post or void is on its way to the source: which ({@code POST}/{@code VOID})
 * @param argument with {@code action}: the amount to post or the reason to void
 * @param reversals a completed transfer's reversals (null when it has none)
 */
public record TransferRecord(String status, TransferTerms terms, String idempotencyKey, Instant requestedAt,
                             String originCommandId, String confinedToOwner, List<String> waiting,
                             TransferOutcome outcome, String action, String argument,
                             TransferState.Reversals reversals) {

    static final String STARTED = "STARTED";
    static final String RESERVED = "RESERVED";
    static final String RESOLVING = "RESOLVING";
    static final String SETTLED = "SETTLED";

    public TransferRecord {
        waiting = waiting == null ? List.of() : List.copyOf(waiting);
    }

    static TransferState toState(TransferRecord record) {
        if (record == null) {
            return new TransferState.Unclaimed();
        }
        return switch (record.status) {
            case SETTLED -> new TransferState.Settled(record.terms, record.idempotencyKey, record.requestedAt,
                    record.outcome, record.reversals);
            case RESERVED -> record.reserved();
            case RESOLVING -> new TransferState.Resolving(record.reserved(), TransferState.Action.valueOf(record.action),
                    record.argument, record.originCommandId, record.waiting);
            default -> new TransferState.Started(record.terms, record.idempotencyKey, record.requestedAt,
                    record.originCommandId, record.confinedToOwner, record.waiting);
        };
    }

    private TransferState.Reserved reserved() {
        return new TransferState.Reserved(terms, idempotencyKey, requestedAt, outcome);
    }

    static TransferRecord of(TransferState state) {
        return switch (state) {
            case TransferState.Unclaimed unclaimed -> throw new IllegalArgumentException("an unclaimed id is not stored");
            case TransferState.Started s -> new TransferRecord(STARTED, s.terms(), s.idempotencyKey(), s.requestedAt(),
                    s.originCommandId(), s.confinedToOwner(), s.waiting(), null, null, null, null);
            case TransferState.Reserved r -> new TransferRecord(RESERVED, r.terms(), r.idempotencyKey(),
                    r.requestedAt(), null, null, List.of(), r.reservation(), null, null, null);
            case TransferState.Resolving r -> new TransferRecord(RESOLVING, r.reserved().terms(),
                    r.reserved().idempotencyKey(), r.reserved().requestedAt(), r.originCommandId(), null, r.waiting(),
                    r.reserved().reservation(), r.action().name(), r.argument(), null);
            case TransferState.Settled s -> new TransferRecord(SETTLED, s.terms(), s.idempotencyKey(), s.requestedAt(),
                    null, null, List.of(), s.outcome(), null, null,
                    s.reversals().equals(TransferState.Reversals.NONE) ? null : s.reversals());
        };
    }
}
