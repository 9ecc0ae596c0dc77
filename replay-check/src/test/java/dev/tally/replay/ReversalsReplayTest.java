package dev.tally.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferRefunded;
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
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * A log with reversals through today's deserializer, the real write model's {@code evolve} and the
 * projections into a real scratch PostgreSQL: alice sends bob 60.00 (t-1); bob sends 20.00 of it back
 * as the reversal rev-1 (its TransferDebited on bob and TransferCredited on alice name t-1; bob's
 * TransferCompleted ends it), then 10.00 more as rev-2, which alice's side refuses, so bob's
 * TransferRefunded gives it back. A reversal is a transfer like any other for the money: the read
 * models come out as named below, pass the reconciliation's checks, and are the same whichever
 * account's partition is replayed first (the reversal's events may then be projected before the
 * original's debit, or its credit before its debit).
 */
class ReversalsReplayTest {

    private static final Instant T = Instant.parse("2026-12-01T09:00:00Z");
    private static final List<String> TABLES = List.of("accounts", "holds", "entries", "account_history",
            "daily_balances", "transfers", "audit_log", "projection_account_positions");

    private final List<LogRecord> log = new ArrayList<>();
    private final Map<String, Long> sequences = new LinkedHashMap<>();
    private final Map<Integer, Long> offsets = new LinkedHashMap<>();

    @Test
    void a_log_with_a_transfer_reversed_in_part_once_and_refunded_once_replays_into_read_models_that_pass_every_check()
            throws Exception {
        reversalsLog(0, 1);

        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = replay(scratch);

            assertTrue(report.ok(), report::describe);
            assertEquals(List.of(3L, 2L, 2L, 1L), List.of(report.eventsPerType().get("TransferDebited"),
                    report.eventsPerType().get("TransferCredited"), report.eventsPerType().get("TransferCompleted"),
                    report.eventsPerType().get("TransferRefunded")), report::describe);
            assertEquals(List.of("alice:6000:5", "bob:4000:6"),
                    rows(scratch, "select account_id || ':' || balance_minor || ':' || version"
                            + " from accounts order by account_id"));
            // The original shows what its completed reversal moved back; the refunded one counts nothing.
            assertEquals(List.of("rev-1:COMPLETED:2000:bob>alice:t-1:0", "rev-2:REFUNDED:1000:bob>alice:t-1:0",
                            "t-1:COMPLETED:6000:alice>bob::2000"),
                    rows(scratch, "select transfer_id || ':' || status || ':' || amount_minor || ':' || from_account_id"
                            + " || '>' || to_account_id || ':' || coalesce(reversal_of, '') || ':' || reversed_amount_minor"
                            + " from transfers order by transfer_id"));
            assertEquals(List.of("alice:2:DEPOSIT:10000:", "alice:3:TRANSFER_OUT:-6000:", "alice:5:TRANSFER_IN:2000:t-1",
                            "bob:2:TRANSFER_IN:6000:", "bob:3:TRANSFER_OUT:-2000:t-1", "bob:5:TRANSFER_OUT:-1000:t-1",
                            "bob:6:TRANSFER_REFUND:1000:"),
                    rows(scratch, "select account_id || ':' || sequence || ':' || type || ':' || amount_minor || ':'"
                            + " || coalesce(reversal_of, '') from entries order by account_id, sequence"));
            assertEquals(List.of("alice:5:rev-1:t-1", "bob:3:rev-1:t-1", "bob:5:rev-2:t-1"),
                    rows(scratch, "select account_id || ':' || sequence || ':' || (details->>'transferId') || ':'"
                            + " || (details->>'reversalOf') from audit_log where details->>'reversalOf' is not null"
                            + " order by account_id, sequence"));
            assertEquals(List.of("11"), rows(scratch, "select count(*) from audit_log"));
        }
    }

    @Test
    void the_read_models_are_the_same_whichever_partition_is_replayed_first() throws Exception {
        reversalsLog(0, 1);
        Map<String, List<String>> sourceFirst;
        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            assertTrue(replay(scratch).ok());
            sourceFirst = tables(scratch);
        }

        // Same events, bob's partition before alice's: both reversals are debited (and rev-2 refunded)
        // before t-1's debit is projected, and rev-1's credit comes last.
        log.clear();
        sequences.clear();
        offsets.clear();
        reversalsLog(1, 0);
        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = replay(scratch);
            assertTrue(report.ok(), report::describe);
            Map<String, List<String>> targetFirst = tables(scratch);
            for (String table : TABLES) {
                assertEquals(sourceFirst.get(table), targetFirst.get(table), table);
            }
            assertEquals(List.of("t-1:2000"), rows(scratch,
                    "select transfer_id || ':' || reversed_amount_minor from transfers where reversal_of is null"));
        }
    }

    /**
     * alice (on {@code alicePartition}) sends t-1 to bob (on {@code bobPartition}); bob reverses part of
     * it twice: rev-1 completes, rev-2 is refunded. Each saga's events share its correlation id.
     */
    private void reversalsLog(int alicePartition, int bobPartition) {
        opened("alice", alicePartition);
        append("alice", alicePartition, FundsDeposited.newBuilder().setMeta(meta("alice", null))
                .setTransactionId("tx-alice-2").setAmountMinor(10_000).setCurrency("USD").setBalanceAfterMinor(10_000)
                .setReference(null).setMetadata(Map.of()).build());
        append("alice", alicePartition, debited("alice", "t-1", "bob", 6000, 4000, null));
        opened("bob", bobPartition);
        append("bob", bobPartition, credited("bob", "t-1", "alice", 6000, 6000, null));
        append("alice", alicePartition, completed("alice", "t-1", "bob", 6000));
        append("bob", bobPartition, debited("bob", "rev-1", "alice", 2000, 4000, "t-1"));
        append("alice", alicePartition, credited("alice", "rev-1", "bob", 2000, 6000, "t-1"));
        append("bob", bobPartition, completed("bob", "rev-1", "alice", 2000));
        append("bob", bobPartition, debited("bob", "rev-2", "alice", 1000, 3000, "t-1"));
        append("bob", bobPartition, TransferRefunded.newBuilder().setMeta(meta("bob", "rev-2")).setTransferId("rev-2")
                .setToAccountId("alice").setAmountMinor(1000).setCurrency("USD").setBalanceAfterMinor(4000)
                .setReasonCode("account-closed").setReasonDetail("alice is closed").build());
    }

    /** Through the real write model's evolve, as the checker runs it. */
    private ReplayReport replay(ScratchDatabase scratch) {
        return new ReplayCheck(scratch.dataSource()).run(log);
    }

    private void opened(String account, int partition) {
        append(account, partition, AccountOpened.newBuilder().setMeta(meta(account, null)).setOwner(account)
                .setCurrency("USD").setScale(2).setOverdraftLimitMinor(0).setMetadata(Map.of()).build());
    }

    private TransferDebited debited(String account, String transferId, String to, long amount, long balanceAfter,
                                    String reversalOf) {
        return TransferDebited.newBuilder().setMeta(meta(account, transferId)).setTransferId(transferId)
                .setToAccountId(to).setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter)
                .setReference(reversalOf == null ? "rent" : "wrong amount").setMetadata(Map.of())
                .setReversalOf(reversalOf).build();
    }

    private TransferCredited credited(String account, String transferId, String from, long amount, long balanceAfter,
                                      String reversalOf) {
        return TransferCredited.newBuilder().setMeta(meta(account, transferId)).setTransferId(transferId)
                .setFromAccountId(from).setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter)
                .setReference(reversalOf == null ? "rent" : "wrong amount").setMetadata(Map.of())
                .setReversalOf(reversalOf).build();
    }

    private TransferCompleted completed(String account, String transferId, String to, long amount) {
        return TransferCompleted.newBuilder().setMeta(meta(account, transferId)).setTransferId(transferId)
                .setToAccountId(to).setAmountMinor(amount).setCurrency("USD").build();
    }

    /**
     * The account's next event's envelope: its next sequence, at a time that depends only on the
     * account and the sequence (so that both orders of the log carry the same events); a transfer's
     * events share its correlation id, as the write model writes them.
     */
    private EventMeta meta(String account, String transferId) {
        long sequence = sequences.merge(account, 1L, Long::sum);
        return EventMeta.newBuilder().setEventId(account + "-e" + sequence).setAccountId(account).setSequence(sequence)
                .setOccurredAt(T.plusSeconds(60 * sequence + (account.equals("bob") ? 2 * 60 : 0)))
                .setCommandId("c-" + account + "-" + sequence)
                .setCorrelationId(transferId == null ? "corr-" + account + "-" + sequence : "corr-" + transferId)
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
