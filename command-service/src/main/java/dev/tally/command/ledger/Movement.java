package dev.tally.command.ledger;

/**
 * A deposit or withdrawal as a later reversal needs it: what it moved and how much of that has been
 * moved back already. Kept by the write model per account and transaction id (its
 * {@code movements} store), looked up and handed in on the reversal command, as a hold's history is.
 */
public record Movement(Kind kind, long amountMinor, long reversedMinor) {

    public enum Kind { DEPOSIT, WITHDRAWAL }

    public long reversibleMinor() {
        return amountMinor - reversedMinor;
    }
}
