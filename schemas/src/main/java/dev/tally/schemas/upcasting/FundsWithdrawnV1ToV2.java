package dev.tally.schemas.upcasting;

import dev.tally.events.FundsWithdrawn;
import org.apache.avro.specific.SpecificRecord;

/**
 * FundsWithdrawn v2 added {@code balanceBeforeMinor}. A v1 producer never wrote it, but it follows
 * from what it did write: the balance before a withdrawal is the balance after it plus the amount.
 * Resolution into today's schema (v3, a nullable long) leaves it null, "unknown"; this fills it in.
 * The deserializer runs it for events whose writer fingerprint is v1's, and only for those: a v2 or
 * v3 event carries the value its producer wrote, which may be any balance, -1 included.
 */
public final class FundsWithdrawnV1ToV2 implements Upcaster {

    @Override
    public String type() {
        return "FundsWithdrawn";
    }

    @Override
    public int fromVersion() {
        return 1;
    }

    @Override
    public SpecificRecord upcast(SpecificRecord event) {
        FundsWithdrawn withdrawn = (FundsWithdrawn) event;
        return FundsWithdrawn.newBuilder(withdrawn)
                .setBalanceBeforeMinor(Math.addExact(withdrawn.getBalanceAfterMinor(), withdrawn.getAmountMinor()))
                .build();
    }
}
