package dev.tally.schemas.upcasting;

import dev.tally.events.FundsWithdrawn;
import org.apache.avro.specific.SpecificRecord;

/**
 * FundsWithdrawn v2 added {@code balanceBeforeMinor}. A v1 producer never wrote it, but it follows
 * from what it did write: the balance before a withdrawal is the balance after it plus the amount.
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
