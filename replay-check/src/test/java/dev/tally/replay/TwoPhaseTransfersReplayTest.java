package dev.tally.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.command.writemodel.WriteModelRebuild;
import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
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
 * A log with two-phase transfers through today's deserializer and projections into a real scratch
 * PostgreSQL: one reserved, posted (its TransferDebited, the target's TransferCredited, the source's
 * TransferCompleted), one voided, one expired. The read models come out as named below, pass the
 * reconciliation's checks, and are the same whichever account's partition is replayed first; a log
 * that reserves more than the account has is reported.
 * Every event also goes through the real write model's {@code evolve}.
 */
class TwoPhaseTransfersReplayTest {

    private static final Instant T = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant EXPIRY = Instant.parse("2026-12-08T09:00:00Z");
    private static final List<String> TABLES = List.of("accounts", "holds", "entries", "account_history",
            "daily_balances", "transfers", "audit_log", "projection_account_positions");

    private final List<LogRecord> log = new ArrayList<>();
    private final Map<String, Long> sequences = new LinkedHashMap<>();
    private final Map<Integer, Long> offsets = new LinkedHashMap<>();

    @Test
    void a_log_with_posted_voided_and_expired_transfers_replays_into_read_models_that_pass_every_check() throws Exception {
        twoPhaseLog(0, 1);

        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = replay(scratch);

            assertTrue(report.ok(), report::describe);
            assertEquals(List.of(3L, 1L, 2L), List.of(report.eventsPerType().get("TransferReserved"),
                    report.eventsPerType().get("TransferPosted"), report.eventsPerType().get("TransferVoided")),
                    report::describe);
            assertEquals(List.of("alice:7500:0:10", "bob:2500:0:2"),
                    rows(scratch, "select account_id || ':' || balance_minor || ':' || held_minor || ':' || version"
                            + " from accounts order by account_id"));
            assertEquals(List.of("alice/transfer/t-expire:EXPIRED::1000:", "alice/transfer/t-post:CAPTURED:2500:500:t-post",
                            "alice/transfer/t-void:RELEASED::2000:"),
                    rows(scratch, "select account_id || '/' || hold_id || ':' || status || ':' || coalesce(captured_minor::text, '')"
                            + " || ':' || coalesce(released_minor::text, '') || ':' || coalesce(transaction_id, '')"
                            + " from holds order by account_id, hold_id"));
            assertEquals(List.of("t-expire:EXPIRED:1000:1000:true:", "t-post:COMPLETED:2500:3000:true:",
                            "t-void:VOIDED:2000:2000:true:changed mind"),
                    rows(scratch, "select transfer_id || ':' || status || ':' || amount_minor || ':'"
                            + " || reserved_amount_minor || ':' || two_phase || ':' || coalesce(reason, '')"
                            + " from transfers order by transfer_id"));
            assertEquals(List.of("alice:2:10000", "alice:7:-2500", "bob:2:2500"), rows(scratch,
                    "select account_id || ':' || sequence || ':' || amount_minor from entries order by account_id, sequence"));
            assertEquals(List.of("12"), rows(scratch, "select count(*) from audit_log"));
        }
    }

    @Test
    void the_read_models_are_the_same_whichever_partition_is_replayed_first() throws Exception {
        twoPhaseLog(0, 1);
        Map<String, List<String>> sourceFirst;
        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            assertTrue(replay(scratch).ok());
            sourceFirst = tables(scratch);
        }

        // Same events, bob's partition before alice's: the credit is projected before the reservation.
        log.clear();
        sequences.clear();
        offsets.clear();
        twoPhaseLog(1, 0);
        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = replay(scratch);
            assertTrue(report.ok(), report::describe);
            Map<String, List<String>> targetFirst = tables(scratch);
            for (String table : TABLES) {
                assertEquals(sourceFirst.get(table), targetFirst.get(table), table);
            }
        }
    }

    @Test
    void a_log_that_reserves_more_than_the_account_has_is_reported_as_breaking_available_not_negative() throws Exception {
        opened("carol", 0, 0);
        append("carol", 0, deposited("carol", 100, 100));
        append("carol", 0, reserved("carol", "t-big", "bob", 500, 500));

        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = replay(scratch);

            assertFalse(report.ok());
            assertEquals("invariant available-not-negative", report.failure().stage(), report::describe);
            assertTrue(report.describe().contains("carol: balance 100 + overdraft limit 0 - held 500"), report::describe);
        }
    }

    @Test
    void a_posting_of_a_transfer_never_reserved_stops_the_replay_at_that_event() throws Exception {
        opened("dave", 0, 0);
        append("dave", 0, deposited("dave", 1000, 1000));
        append("dave", 0, posted("dave", "t-none", "bob", 100, 0, 0));

        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = replay(scratch);

            assertFalse(report.ok());
            // The write model's evolve, which runs first, already refuses to close a hold never opened.
            assertEquals(List.of(0, 2L, "evolve"), List.of(report.failure().partition(),
                    report.failure().offset(), report.failure().stage()), report::describe);
            assertTrue(report.failure().error().contains("closes a hold that is not open (never placed)"),
                    report::describe);
        }
    }

    /** alice (on {@code alicePartition}) reserves three transfers to bob (on {@code bobPartition}). */
    private void twoPhaseLog(int alicePartition, int bobPartition) {
        opened("alice", 0, alicePartition);
        append("alice", alicePartition, deposited("alice", 10_000, 10_000));
        append("alice", alicePartition, reserved("alice", "t-post", "bob", 3000, 3000));
        append("alice", alicePartition, reserved("alice", "t-void", "bob", 2000, 5000));
        append("alice", alicePartition, reserved("alice", "t-expire", "bob", 1000, 6000));
        append("alice", alicePartition, posted("alice", "t-post", "bob", 2500, 500, 3000));
        append("alice", alicePartition, TransferDebited.newBuilder().setMeta(meta("alice")).setTransferId("t-post")
                .setToAccountId("bob").setAmountMinor(2500).setCurrency("USD").setBalanceAfterMinor(7500)
                .setReference("rent").setMetadata(Map.of()).build());
        append("alice", alicePartition, TransferVoided.newBuilder().setMeta(meta("alice")).setTransferId("t-void")
                .setToAccountId("bob").setReleasedMinor(2000).setCurrency("USD").setHeldAfterMinor(1000)
                .setExpired(false).setReason("changed mind").build());
        append("alice", alicePartition, TransferVoided.newBuilder().setMeta(meta("alice")).setTransferId("t-expire")
                .setToAccountId("bob").setReleasedMinor(1000).setCurrency("USD").setHeldAfterMinor(0)
                .setExpired(true).setReason(null).build());
        opened("bob", 0, bobPartition);
        append("bob", bobPartition, TransferCredited.newBuilder().setMeta(meta("bob")).setTransferId("t-post")
                .setFromAccountId("alice").setAmountMinor(2500).setCurrency("USD").setBalanceAfterMinor(2500)
                .setReference("rent").setMetadata(Map.of()).build());
        append("alice", alicePartition, TransferCompleted.newBuilder().setMeta(meta("alice")).setTransferId("t-post")
                .setToAccountId("bob").setAmountMinor(2500).setCurrency("USD").build());
    }

    /** Through the real write model's evolve, as the checker runs it. */
    private ReplayReport replay(ScratchDatabase scratch) {
        return new ReplayCheck(scratch.dataSource()).run(log);
    }

    private void opened(String account, long overdraftMinor, int partition) {
        append(account, partition, AccountOpened.newBuilder().setMeta(meta(account)).setOwner(account).setCurrency("USD")
                .setScale(2).setOverdraftLimitMinor(overdraftMinor).setMetadata(Map.of()).build());
    }

    private FundsDeposited deposited(String account, long amount, long balanceAfter) {
        return FundsDeposited.newBuilder().setMeta(meta(account)).setTransactionId("tx-" + account + "-" + sequences.get(account))
                .setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter).setReference(null)
                .setMetadata(Map.of()).build();
    }

    private TransferReserved reserved(String account, String transferId, String to, long amount, long heldAfter) {
        return TransferReserved.newBuilder().setMeta(meta(account)).setTransferId(transferId).setToAccountId(to)
                .setAmountMinor(amount).setCurrency("USD").setExpiresAt(EXPIRY).setHeldAfterMinor(heldAfter)
                .setReference("rent").setMetadata(Map.of("invoice", transferId)).build();
    }

    private TransferPosted posted(String account, String transferId, String to, long posted, long released,
                                  long heldAfter) {
        return TransferPosted.newBuilder().setMeta(meta(account)).setTransferId(transferId).setToAccountId(to)
                .setPostedMinor(posted).setReleasedMinor(released).setCurrency("USD").setHeldAfterMinor(heldAfter)
                .build();
    }

    /**
     * The account's next event's envelope: its next sequence, at a time that depends only on the
     * account and the sequence (so that both orders of the log carry the same events).
     */
    private EventMeta meta(String account) {
        long sequence = sequences.merge(account, 1L, Long::sum);
        return EventMeta.newBuilder().setEventId(account + "-e" + sequence).setAccountId(account).setSequence(sequence)
                .setOccurredAt(T.plusSeconds(60 * sequence + (account.equals("bob") ? 7 * 60 : 0)))
                .setCommandId("c-" + account + "-" + sequence).setCorrelationId("corr-" + account + "-" + sequence)
                .setCausationId(null).setActor("teller").setIdempotencyKey(null).setRequestHash(null).build();
    }

    private void append(String account, int partition, SpecificRecord event) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = new LedgerEventSerializer().serialize(Topics.LEDGER_EVENTS.name(), headers, event);
        Map<String, byte[]> headerMap = new LinkedHashMap<>();
        for (Header header : headers) {
            headerMap.put(header.key(), header.value());
        }
        long offset = offsets.merge(partition, 1L, Long::sum) - 1;
        log.add(new LogRecord(partition, offset, T.toEpochMilli(), account, headerMap, value));
    }

    /** Every row of every read model, as text, in a fixed order. */
    private static Map<String, List<String>> tables(ScratchDatabase scratch) throws Exception {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String table : TABLES) {
            tables.put(table, rows(scratch, "select t::text from " + table + " t order by t::text"));
        }
        return tables;
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
