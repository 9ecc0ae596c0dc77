package dev.tally.schemas.golden;

import dev.tally.events.AccountClosed;
import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.AccountUnfrozen;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.FundsHeld;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * One fixed sample per current event type, every field set to something other than its default so
 * that a fixture exercises all of it. When a type gains a field, give it a value here before the
 * release step writes the new version's fixture.
 */
public final class GoldenSamples {

    private static final Instant AT = Instant.parse("2026-03-14T15:09:26.535897Z");

    private static final List<SpecificRecord> ALL = List.of(
            AccountOpened.newBuilder().setMeta(meta("alice", 1, "cmd-open", null, "key-open"))
                    .setOwner("alice").setCurrency("USD").setScale(2).setOverdraftLimitMinor(5_000)
                    .setMetadata(metadata("channel", "mobile", "segment", "retail")).build(),
            FundsDeposited.newBuilder().setMeta(meta("alice", 2, "cmd-deposit", null, "key-deposit"))
                    .setTransactionId("tx-deposit").setAmountMinor(12_345).setCurrency("USD")
                    .setBalanceAfterMinor(12_345).setReference("salary")
                    .setMetadata(metadata("source", "payroll")).setReversalOf("tx-earlier").build(),
            FundsWithdrawn.newBuilder().setMeta(meta("alice", 3, "cmd-withdraw", null, "key-withdraw"))
                    .setTransactionId("tx-withdraw").setAmountMinor(2_000).setCurrency("USD")
                    .setBalanceAfterMinor(10_345).setBalanceBeforeMinor(12_345L).setReference("atm")
                    .setMetadata(metadata("type", "jobLaunch", "jobId", "job-7")).setReversalOf("tx-earlier").build(),
            AccountFrozen.newBuilder().setMeta(meta("alice", 4, "cmd-freeze", null, null))
                    .setReason("card reported stolen").build(),
            AccountUnfrozen.newBuilder().setMeta(meta("alice", 5, "cmd-unfreeze", null, null))
                    .setReason("card replaced").build(),
            TransferDebited.newBuilder().setMeta(meta("alice", 6, "cmd-transfer", null, "transfer-1"))
                    .setTransferId("transfer-1").setToAccountId("bob").setAmountMinor(1_500).setCurrency("USD")
                    .setBalanceAfterMinor(8_845).setReference("rent")
                    .setMetadata(metadata("month", "2026-03")).setReversalOf("transfer-0").build(),
            TransferCredited.newBuilder().setMeta(meta("bob", 3, "cmd-transfer", "evt-alice-6", null))
                    .setTransferId("transfer-1").setFromAccountId("alice").setAmountMinor(1_500).setCurrency("USD")
                    .setBalanceAfterMinor(1_500).setReference("rent")
                    .setMetadata(metadata("month", "2026-03")).setReversalOf("transfer-0").build(),
            TransferCompleted.newBuilder().setMeta(meta("alice", 7, "cmd-transfer", "evt-bob-3", null))
                    .setTransferId("transfer-1").setToAccountId("bob").setAmountMinor(1_500).setCurrency("USD")
                    .build(),
            TransferRefunded.newBuilder().setMeta(meta("alice", 8, "cmd-transfer-2", "cmd-transfer-2", "transfer-2"))
                    .setTransferId("transfer-2").setToAccountId("carol").setAmountMinor(700).setCurrency("USD")
                    .setBalanceAfterMinor(8_845).setReasonCode("currency-mismatch")
                    .setReasonDetail("carol holds EUR").build(),
            AccountClosed.newBuilder().setMeta(meta("alice", 9, "cmd-close", null, null)).build(),
            dev.tally.events.SubjectForgotten.newBuilder().setMeta(meta("alice", 10, "cmd-forget", null, null))
                    .setOwner("customer-alice").setKeyId("5f1c0a9e2b7d4c8e1a3f6b20").build(),
            FundsHeld.newBuilder().setMeta(meta("dave", 2, "cmd-hold", null, "key-hold"))
                    .setHoldId("hold-1").setAmountMinor(4_200).setCurrency("USD")
                    .setExpiresAt(AT.plusSeconds(3_600)).setHeldAfterMinor(4_200).setReference("hotel deposit")
                    .setMetadata(metadata("merchant", "m-77")).build(),
            HoldCaptured.newBuilder().setMeta(meta("dave", 3, "cmd-capture", null, null))
                    .setHoldId("hold-1").setCapturedMinor(4_000).setReleasedMinor(200).setCurrency("USD")
                    .setHeldAfterMinor(0).setTransactionId("cmd-capture").build(),
            HoldReleased.newBuilder().setMeta(meta("dave", 6, "cmd-release", null, null))
                    .setHoldId("hold-2").setReleasedMinor(900).setCurrency("USD").setHeldAfterMinor(300)
                    .setReason("order cancelled").build(),
            HoldExpired.newBuilder().setMeta(meta("dave", 7, "cmd-expire", null, null))
                    .setHoldId("hold-3").setReleasedMinor(300).setCurrency("USD").setHeldAfterMinor(0)
                    .setExpiresAt(AT.plusSeconds(7_200)).build(),
            TransferReserved.newBuilder().setMeta(meta("erin", 2, "cmd-reserve", null, "key-reserve"))
                    .setTransferId("t-2p").setToAccountId("frank").setAmountMinor(12_500).setCurrency("EUR")
                    .setExpiresAt(AT.plusSeconds(86_400)).setHeldAfterMinor(12_500).setReference("invoice 9")
                    .setMetadata(metadata("order", "o-9")).build(),
            TransferPosted.newBuilder().setMeta(meta("erin", 3, "cmd-post", null, null))
                    .setTransferId("t-2p").setToAccountId("frank").setPostedMinor(12_000).setReleasedMinor(500)
                    .setCurrency("EUR").setHeldAfterMinor(0).build(),
            TransferVoided.newBuilder().setMeta(meta("erin", 6, "cmd-void", null, null))
                    .setTransferId("t-2q").setToAccountId("frank").setReleasedMinor(700).setCurrency("EUR")
                    .setHeldAfterMinor(0).setExpired(false).setReason("order cancelled").build());

    private GoldenSamples() {
    }

    public static List<SpecificRecord> all() {
        return ALL;
    }

    public static Optional<SpecificRecord> of(String type) {
        return ALL.stream().filter(sample -> sample.getSchema().getName().equals(type)).findFirst();
    }

    private static EventMeta meta(String account, long sequence, String commandId, String causationId,
                                  String idempotencyKey) {
        return EventMeta.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((commandId + "/" + account + "/" + sequence)
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .setAccountId(account).setSequence(sequence).setOccurredAt(AT.plusSeconds(sequence))
                .setCommandId(commandId).setCorrelationId("corr-" + commandId).setCausationId(causationId)
                .setActor("teller-9").setIdempotencyKey(idempotencyKey)
                .setRequestHash(idempotencyKey == null ? null : "hash-of-" + idempotencyKey)
                .build();
    }

    /** Sorted, so the encoding does not depend on a hash map's iteration order. */
    private static Map<String, String> metadata(String... keysAndValues) {
        Map<String, String> metadata = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            metadata.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return metadata;
    }
}
