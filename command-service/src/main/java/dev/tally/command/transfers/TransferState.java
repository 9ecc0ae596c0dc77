package dev.tally.command.transfers;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A transfer id as the write model knows it. The transfer is an aggregate of its own, keyed by its
 * id, so one stream task is the single writer of each id: it claims the id before the source is
 * debited, and keeps the settled outcome forever.
 */
public sealed interface TransferState {

    /** Never used, or used only by requests the source refused (those moved nothing). */
    record Unclaimed() implements TransferState {
    }

    /**
     * Claimed: the source has been asked to debit, or has, and the money is in flight.
     *
     * @param originCommandId the command that claimed the id; the saga answers it directly
     * @param confinedToOwner the customer the claiming request was confined to, or null for staff
     * @param waiting         later requests with the same terms, answered when the transfer settles
     */
    record Started(TransferTerms terms, String idempotencyKey, Instant requestedAt, String originCommandId,
                   String confinedToOwner, List<String> waiting) implements TransferState {
        public Started {
            waiting = List.copyOf(waiting);
        }
    }

    /**
     * A two-phase transfer whose amount waits on the source (outcome {@code RESERVED}), until a
     * client posts or voids it or it expires.
     */
    record Reserved(TransferTerms terms, String idempotencyKey, Instant requestedAt, TransferOutcome reservation)
            implements TransferState {
    }

    /** What a client asked of a reserved transfer. */
    enum Action { POST, VOID }

    /**
     * A post or void of a reserved transfer, sent to the source and not answered yet.
     *
     * @param argument the amount to post (null: all of it) or the reason to void
     * @param waiting  later identical requests, answered when the source has decided
     */
    record Resolving(Reserved reserved, Action action, String argument, String originCommandId,
                     List<String> waiting) implements TransferState {
        public Resolving {
            waiting = List.copyOf(waiting);
        }
    }

    /**
     * Settled for good: every later request with this id hears this outcome, or is refused.
     *
     * @param reversals the reversals of a completed transfer so far (never null)
     */
    record Settled(TransferTerms terms, String idempotencyKey, Instant requestedAt, TransferOutcome outcome,
                   Reversals reversals) implements TransferState {
        public Settled {
            reversals = reversals == null ? Reversals.NONE : reversals;
        }

        public Settled(TransferTerms terms, String idempotencyKey, Instant requestedAt, TransferOutcome outcome) {
            this(terms, idempotencyKey, requestedAt, outcome, Reversals.NONE);
        }

        public Settled with(Reversals next) {
            return new Settled(terms, idempotencyKey, requestedAt, outcome, next);
        }
    }

    /**
     * What of a completed transfer has been moved back, by reversal transfer id, in minor units:
     * {@code completed} reversals moved it, {@code pending} ones are on their way (counted against
     * what is left, so two reversals at once cannot both take the last of it).
     */
    record Reversals(Map<String, Long> completed, Map<String, Long> pending) {
        public static final Reversals NONE = new Reversals(Map.of(), Map.of());

        public Reversals {
            completed = completed == null ? Map.of() : Map.copyOf(completed);
            pending = pending == null ? Map.of() : Map.copyOf(pending);
        }

        public long reversedMinor() {
            return completed.values().stream().mapToLong(Long::longValue).sum();
        }

        long committedMinor() {
            return reversedMinor() + pending.values().stream().mapToLong(Long::longValue).sum();
        }

        boolean knows(String reversalId) {
            return completed.containsKey(reversalId) || pending.containsKey(reversalId);
        }

        public Reversals started(String reversalId, long amountMinor) {
            Map<String, Long> next = new HashMap<>(pending);
            next.put(reversalId, amountMinor);
            return new Reversals(completed, next);
        }

        /** The reversal ended: it moved {@code amountMinor} back when it completed, nothing otherwise. */
        public Reversals ended(String reversalId, boolean moved, long amountMinor) {
            Map<String, Long> stillPending = new HashMap<>(pending);
            stillPending.remove(reversalId);
            Map<String, Long> done = new HashMap<>(completed);
            if (moved) {
                done.put(reversalId, amountMinor);
            }
            return new Reversals(done, stillPending);
        }
    }
}
