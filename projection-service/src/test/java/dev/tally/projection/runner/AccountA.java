package dev.tally.projection.runner;

import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Events of one account "a" (owner alice, USD): opened, then deposits of 1.00, for the runner's tests. */
final class AccountA {

    private AccountA() {
    }

    static SpecificRecord opened() {
        return AccountOpened.newBuilder().setMeta(meta(1)).setOwner("alice").setCurrency("USD").setScale(2)
                .setOverdraftLimitMinor(0).setMetadata(Map.of()).build();
    }

    static SpecificRecord deposit(long sequence, long balanceAfter) {
        return FundsDeposited.newBuilder().setMeta(meta(sequence)).setTransactionId("t" + sequence).setAmountMinor(100)
                .setCurrency("USD").setBalanceAfterMinor(balanceAfter).setReference(null).setMetadata(Map.of()).build();
    }

    private static EventMeta meta(long sequence) {
        return EventMeta.newBuilder().setEventId("a-e" + sequence).setAccountId("a").setSequence(sequence)
                .setOccurredAt(Instant.parse("2026-11-22T08:00:00Z")).setCommandId("c" + sequence)
                .setCorrelationId("c" + sequence).setCausationId(null).setActor("teller").setIdempotencyKey(null)
                .setRequestHash(null).build();
    }
}
