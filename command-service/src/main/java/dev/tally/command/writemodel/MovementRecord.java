package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.Movement;

/**
 * One deposit or withdrawal of one account in the write model's {@code movements} store (key:
 * account id, NUL, transaction id), kept for good: what it moved and how much has been reversed, so
 * that a reversal never moves back more than the original moved.
 */
public record MovementRecord(Movement.Kind kind, long amountMinor, long reversedMinor) {

    public static String storeKey(String accountId, String transactionId) {
        return accountId + '\u0000' + transactionId;
    }

    static String accountOf(String storeKey) {
        return storeKey.substring(0, storeKey.indexOf('\u0000'));
    }

    Movement toMovement() {
        return new Movement(kind, amountMinor, reversedMinor);
    }

    /** The record a deposit or withdrawal starts, or null for any other event. */
    static MovementRecord of(AccountEvent event) {
        return switch (event) {
            case AccountEvent.FundsDeposited e -> new MovementRecord(Movement.Kind.DEPOSIT, e.amountMinor(), 0);
            case AccountEvent.FundsWithdrawn e -> new MovementRecord(Movement.Kind.WITHDRAWAL, e.amountMinor(), 0);
            default -> null;
        };
    }

    /** The transaction a correcting entry reverses, or null. */
    static String reversalOf(AccountEvent event) {
        return switch (event) {
            case AccountEvent.FundsDeposited e -> e.reversalOf();
            case AccountEvent.FundsWithdrawn e -> e.reversalOf();
            default -> null;
        };
    }

    static String transactionOf(AccountEvent event) {
        return switch (event) {
            case AccountEvent.FundsDeposited e -> e.transactionId();
            case AccountEvent.FundsWithdrawn e -> e.transactionId();
            default -> null;
        };
    }

    MovementRecord reversedBy(long amount) {
        return new MovementRecord(kind, amountMinor, reversedMinor + amount);
    }

    /**
     * Applies one event's effect on the movements, through {@code get}/{@code put} of whatever keeps
     * them (the live store, or a rebuild's map).
     */
    static void apply(String accountId, AccountEvent event, java.util.function.Function<String, MovementRecord> get,
                      java.util.function.BiConsumer<String, MovementRecord> put) {
        MovementRecord started = of(event);
        if (started == null) {
            return;
        }
        put.accept(storeKey(accountId, transactionOf(event)), started);
        String original = reversalOf(event);
        if (original != null) {
            String key = storeKey(accountId, original);
            MovementRecord before = get.apply(key);
            if (before != null) {
                put.accept(key, before.reversedBy(started.amountMinor()));
            }
        }
    }
}
