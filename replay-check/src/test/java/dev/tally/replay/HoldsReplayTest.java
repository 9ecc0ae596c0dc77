package dev.tally.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.command.writemodel.WriteModelRebuild;
import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.schemas.LedgerEventSerializer;
import dev.tally.schemas.Topics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * A log with holds through today's deserializer and projections into a real scratch PostgreSQL: the
 * read models come out as named below and pass the invariants, and a log whose holds break them
 * (more held than available; held that is not the open holds) is reported.
 */
class HoldsReplayTest {

    private static final Instant T = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant EXPIRY = Instant.parse("2026-12-08T09:00:00Z");

    private final List<LogRecord> log = new ArrayList<>();
    private final Map<String, Long> sequences = new LinkedHashMap<>();

    @Test
    void a_log_with_holds_replays_into_read_models_that_name_every_hold_and_pass_every_invariant() throws Exception {
        opened("alice", 0);
        append("alice", deposited("alice", 10_000, 10_000));
        append("alice", held("alice", "h-1", 3000, 3000));
        append("alice", held("alice", "h-2", 2000, 5000));
        append("alice", held("alice", "h-3", 1000, 6000));
        append("alice", HoldCaptured.newBuilder().setMeta(meta("alice")).setHoldId("h-1").setCapturedMinor(2500)
                .setReleasedMinor(500).setCurrency("USD").setHeldAfterMinor(3000).setTransactionId("tx-capture").build());
        append("alice", FundsWithdrawn.newBuilder().setMeta(meta("alice")).setTransactionId("tx-capture")
                .setAmountMinor(2500).setCurrency("USD").setBalanceAfterMinor(7500).setBalanceBeforeMinor(10_000L)
                .setReference(null).setMetadata(Map.of()).build());
        append("alice", HoldReleased.newBuilder().setMeta(meta("alice")).setHoldId("h-2").setReleasedMinor(2000)
                .setCurrency("USD").setHeldAfterMinor(1000).setReason(null).build());
        append("alice", HoldExpired.newBuilder().setMeta(meta("alice")).setHoldId("h-3").setReleasedMinor(1000)
                .setCurrency("USD").setHeldAfterMinor(0).setExpiresAt(EXPIRY).build());
        append("alice", held("alice", "h-4", 7500, 7500));
        opened("bob", 100);
        append("bob", deposited("bob", 50, 50));
        append("bob", held("bob", "b-1", 50, 50));

        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = new ReplayCheck(scratch.dataSource(), ReplayCheck.projections(), HoldsReplayTest::evolve)
                    .run(log);

            assertTrue(report.ok(), report::describe);
            assertEquals(5L, report.eventsPerType().get("FundsHeld"), report::describe);
            assertEquals(List.of("alice:7500:7500:10", "bob:50:50:3"),
                    rows(scratch, "select account_id || ':' || balance_minor || ':' || held_minor || ':' || version"
                            + " from accounts order by account_id"));
            assertEquals(List.of("alice/h-1:CAPTURED:2500:500:tx-capture", "alice/h-2:RELEASED::2000:",
                            "alice/h-3:EXPIRED::1000:", "alice/h-4:OPEN:::", "bob/b-1:OPEN:::"),
                    rows(scratch, "select account_id || '/' || hold_id || ':' || status || ':' || coalesce(captured_minor::text, '')"
                            + " || ':' || coalesce(released_minor::text, '') || ':' || coalesce(transaction_id, '')"
                            + " from holds order by account_id, hold_id"));
            assertEquals(List.of("alice:2:10000", "alice:7:-2500", "bob:2:50"), rows(scratch,
                    "select account_id || ':' || sequence || ':' || amount_minor from entries order by account_id, sequence"));
            assertEquals(List.of("13"), rows(scratch, "select count(*) from audit_log"));
        }
    }

    @Test
    void a_log_that_holds_more_than_the_account_has_is_reported_as_breaking_available_not_negative() throws Exception {
        opened("carol", 0);
        append("carol", deposited("carol", 100, 100));
        append("carol", held("carol", "c-1", 500, 500));

        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = new ReplayCheck(scratch.dataSource(), ReplayCheck.projections(), HoldsReplayTest::evolve)
                    .run(log);

            assertFalse(report.ok());
            assertEquals("invariant available-not-negative", report.failure().stage(), report::describe);
            assertTrue(report.describe().contains("carol: balance 100 + overdraft limit 0 - held 500"), report::describe);
        }
    }

    @Test
    void a_log_whose_held_amount_is_not_its_open_holds_is_reported() throws Exception {
        opened("dave", 0);
        append("dave", deposited("dave", 1000, 1000));
        append("dave", held("dave", "d-1", 100, 300));

        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = new ReplayCheck(scratch.dataSource(), ReplayCheck.projections(), HoldsReplayTest::evolve)
                    .run(log);

            assertFalse(report.ok());
            assertEquals("invariant held-equals-open-holds", report.failure().stage(), report::describe);
            assertTrue(report.failure().error().contains("dave: held 300, open holds sum to 100"), report::describe);
        }
    }

    /** The real write model's evolve, which knows the hold events. */
    private static Consumer<SpecificRecord> evolve() {
        return new WriteModelRebuild()::apply;
    }

    private void opened(String account, long overdraftMinor) {
        append(account, AccountOpened.newBuilder().setMeta(meta(account)).setOwner(account).setCurrency("USD").setScale(2)
                .setOverdraftLimitMinor(overdraftMinor).setMetadata(Map.of()).build());
    }

    private FundsDeposited deposited(String account, long amount, long balanceAfter) {
        return FundsDeposited.newBuilder().setMeta(meta(account)).setTransactionId("tx-" + account + "-" + sequences.get(account))
                .setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter).setReference(null)
                .setMetadata(Map.of()).build();
    }

    private FundsHeld held(String account, String holdId, long amount, long heldAfter) {
        return FundsHeld.newBuilder().setMeta(meta(account)).setHoldId(holdId).setAmountMinor(amount).setCurrency("USD")
                .setExpiresAt(EXPIRY).setHeldAfterMinor(heldAfter).setReference("r " + holdId)
                .setMetadata(Map.of("order", holdId)).build();
    }

    /** The account's next event's envelope: its next sequence, a second after the log's last event. */
    private EventMeta meta(String account) {
        long sequence = sequences.merge(account, 1L, Long::sum);
        return EventMeta.newBuilder().setEventId(account + "-e" + sequence).setAccountId(account).setSequence(sequence)
                .setOccurredAt(T.plusSeconds(log.size())).setCommandId("c-" + account + "-" + sequence)
                .setCorrelationId("corr").setCausationId(null).setActor("teller").setIdempotencyKey(null)
                .setRequestHash(null).build();
    }

    private void append(String account, SpecificRecord event) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = new LedgerEventSerializer().serialize(Topics.LEDGER_EVENTS.name(), headers, event);
        Map<String, byte[]> headerMap = new LinkedHashMap<>();
        for (Header header : headers) {
            headerMap.put(header.key(), header.value());
        }
        log.add(new LogRecord(0, log.size(), T.toEpochMilli(), account, headerMap, value));
    }

    private static List<String> rows(ScratchDatabase scratch, String query) throws Exception {
        try (Connection connection = scratch.dataSource().getConnection(); Statement sql = connection.createStatement();
             ResultSet result = sql.executeQuery(query)) {
            List<String> rows = new ArrayList<>();
            while (result.next()) {
                rows.add(result.getString(1));
            }
            return rows;
        }
    }
}
