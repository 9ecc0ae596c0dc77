package dev.tally.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.projection.accounts.AccountsProjectionWriter;
import dev.tally.projection.audit.AuditProjection;
import dev.tally.projection.daily.DailyBalancesProjection;
import dev.tally.projection.history.AccountHistoryProjection;
import dev.tally.projection.reconciliation.ReadModelChecks;
import dev.tally.projection.reconciliation.ReconciliationReport;
import dev.tally.projection.runner.BatchWriter;
import dev.tally.projection.runner.LogOf;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.runner.TestDatabase;
import dev.tally.projection.statements.StatementsProjectionWriter;
import dev.tally.projection.transfers.TransfersProjection;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reversals through every projection, as the runner writes them (encoded records, one batch per
 * event, positions, checkpoints), into a real PostgreSQL, each table checked after each event:
 * alice sends bob 60.00 (t-1); bob sends 20.00 of it back as the reversal rev-1 (its TransferDebited on
 * bob and TransferCredited on alice name t-1; bob's TransferCompleted ends it), then 10.00 more as
 * rev-2, which alice's side refuses, so bob's TransferRefunded gives it back. t-1 shows 20.00 reversed
 * by rev-1; rev-2 reverses nothing.
 */
class ReversalsReadModelTest {

    private static final Instant T = Instant.parse("2026-12-01T09:00:00Z");
    private static final List<Projection> PROJECTIONS = List.of(new AccountsProjectionWriter(),
            new StatementsProjectionWriter(), new AccountHistoryProjection(), new DailyBalancesProjection(),
            new TransfersProjection(), new AuditProjection());

    private final GivenEvents alice = new GivenEvents("alice");
    private final GivenEvents bob = new GivenEvents("bob");
    private final LogOf log = new LogOf();
    /** Per partition, the checkpoint the last batch left: where the next batch starts. */
    private final Map<Integer, Long> checkpoints = new HashMap<>();

    /** alice (partition 0): opened, deposited, t-1 debited and completed, rev-1 credited. */
    private List<ConsumerRecord<String, byte[]>> aliceLog;
    /** bob (partition 1): opened, t-1 credited, rev-1 debited and completed, rev-2 debited and refunded. */
    private List<ConsumerRecord<String, byte[]>> bobLog;
    /** Both partitions in the order the events were written. */
    private List<ConsumerRecord<String, byte[]>> liveOrder;

    @BeforeEach
    void emptyTables() {
        TestDatabase.truncateAll();
        aliceLog = log.append(0, events(alice.opened(at(1)),
                alice.deposited(2, 10_000, 10_000, at(2)),
                saga("t-1", alice.debited(3, "t-1", "bob", 6000, 4000, at(3))),
                saga("t-1", alice.completed(4, "t-1", "bob", 6000, at(5))),
                saga("rev-1", alice.credited(5, "rev-1", "bob", 2000, 6000, at(7), "t-1"))));
        bobLog = log.append(1, events(bob.opened(at(1)),
                saga("t-1", bob.credited(2, "t-1", "alice", 6000, 6000, at(4))),
                saga("rev-1", bob.debited(3, "rev-1", "alice", 2000, 4000, at(6), "t-1")),
                saga("rev-1", bob.completed(4, "rev-1", "alice", 2000, at(8))),
                saga("rev-2", bob.debited(5, "rev-2", "alice", 1000, 3000, at(9), "t-1")),
                saga("rev-2", bob.refunded(6, "rev-2", "alice", 1000, 4000, at(10)))));
        liveOrder = List.of(aliceLog.get(0), aliceLog.get(1), aliceLog.get(2), bobLog.get(0), bobLog.get(1),
                aliceLog.get(3), bobLog.get(2), aliceLog.get(4), bobLog.get(3), bobLog.get(4), bobLog.get(5));
    }

    @Test
    void each_event_of_a_transfer_and_its_reversals_shows_in_every_read_model() throws Exception {
        apply(liveOrder.subList(0, 3)); // t-1 debited
        assertEquals(List.of("t-1:PENDING:6000:alice>bob:-:0"), transfers());

        apply(liveOrder.subList(3, 6)); // bob opened, t-1 credited, completed
        assertEquals(List.of("t-1:COMPLETED:6000:alice>bob:-:0"), transfers());
        assertChecksPass();

        // rev-1 debited on bob: a transfer of its own, in flight, naming t-1; nothing reversed yet.
        apply(liveOrder.get(6));
        assertEquals(List.of("rev-1:PENDING:2000:bob>alice:t-1:0", "t-1:COMPLETED:6000:alice>bob:-:0"), transfers());
        assertEquals(List.of("2:TRANSFER_IN:6000:t-1:-", "3:TRANSFER_OUT:-2000:rev-1:t-1"), entries("bob"));
        assertChecksPass(); // in flight: balances 10000 - 2000 = deposits 10000 - in flight 2000

        // rev-1 credited on alice: it completed, so t-1 shows it reversed.
        apply(liveOrder.get(7));
        assertEquals(List.of("rev-1:COMPLETED:2000:bob>alice:t-1:0", "t-1:COMPLETED:6000:alice>bob:-:2000"),
                transfers());
        assertEquals(List.of("2:DEPOSIT:10000:-:-", "3:TRANSFER_OUT:-6000:t-1:-", "5:TRANSFER_IN:2000:rev-1:t-1"),
                entries("alice"));
        assertChecksPass();

        apply(liveOrder.get(8)); // rev-1's TransferCompleted on bob: bookkeeping, nothing changes
        assertEquals(List.of("rev-1:COMPLETED:2000:bob>alice:t-1:0", "t-1:COMPLETED:6000:alice>bob:-:2000"),
                transfers());

        // rev-2 debited: in flight, not reversed yet; then refunded: it reversed nothing.
        apply(liveOrder.get(9));
        assertEquals("rev-2:PENDING:1000:bob>alice:t-1:0", transfer("rev-2"));
        assertEquals("t-1:COMPLETED:6000:alice>bob:-:2000", transfer("t-1"));
        assertChecksPass();
        apply(liveOrder.get(10));
        assertEquals(List.of("rev-1:COMPLETED:2000:bob>alice:t-1:0", "rev-2:REFUNDED:1000:bob>alice:t-1:0",
                "t-1:COMPLETED:6000:alice>bob:-:2000"), transfers());
        assertChecksPass();

        // Both lines of each reversal name t-1; the refund's line carries no link (TransferRefunded has none).
        assertEquals(List.of("2:TRANSFER_IN:6000:t-1:-", "3:TRANSFER_OUT:-2000:rev-1:t-1",
                "5:TRANSFER_OUT:-1000:rev-2:t-1", "6:TRANSFER_REFUND:1000:rev-2:-"), entries("bob"));
        assertEquals(List.of("4000:6", "6000:5"),
                column("select balance_minor || ':' || version from accounts order by account_id desc"));
        // The audit trail shows the link among each reversal step's facts, and no reversalOf elsewhere.
        assertEquals(List.of("alice:5:TransferCredited:rev-1:t-1", "bob:3:TransferDebited:rev-1:t-1",
                        "bob:5:TransferDebited:rev-2:t-1"),
                column("""
                        select account_id || ':' || sequence || ':' || event_type || ':' || (details->>'transferId')
                               || ':' || (details->>'reversalOf')
                        from audit_log where details->>'reversalOf' is not null order by account_id, sequence"""));
        assertEquals(List.of("11"), column("select count(*) from audit_log"));
        assertEquals(List.of(), TestDatabase.rows("select projection, error from dead_letters"));
    }

    @Test
    void the_read_models_are_the_same_whichever_partition_is_read_first() {
        apply(liveOrder);
        Map<String, String> live = checksums();
        List<String> transfers = transfers();
        assertEquals(List.of("rev-1:COMPLETED:2000:bob>alice:t-1:0", "rev-2:REFUNDED:1000:bob>alice:t-1:0",
                "t-1:COMPLETED:6000:alice>bob:-:2000"), transfers);

        // alice's partition first: rev-1's credit makes its row (COMPLETED, naming t-1) before bob's
        // partition has said anything about it, and t-1 counts it at once.
        restart();
        apply(aliceLog);
        assertEquals(List.of("rev-1:COMPLETED:2000:bob>alice:t-1:0", "t-1:PENDING:6000:alice>bob:-:2000"), transfers());
        apply(bobLog);
        assertEquals(transfers, transfers());
        assertEquals(live, checksums());

        // bob's partition first: both reversals are debited, and rev-2 refunded, before t-1 has been
        // debited or rev-1 credited.
        restart();
        apply(bobLog);
        assertEquals(List.of("rev-1:PENDING:2000:bob>alice:t-1:0", "rev-2:REFUNDED:1000:bob>alice:t-1:0",
                "t-1:COMPLETED:6000:alice>bob:-:0"), transfers());
        apply(aliceLog);
        assertEquals(transfers, transfers());
        assertEquals(live, checksums());

        // Each partition in one batch: several steps of one transfer and its reversals in one transaction.
        restart();
        applyBatch(bobLog);
        applyBatch(aliceLog);
        assertEquals(transfers, transfers());
        assertEquals(live, checksums());
    }

    @Test
    void an_event_delivered_again_changes_nothing() throws Exception {
        apply(liveOrder);
        Map<String, String> before = checksums();

        // Redelivered after the commit (the checkpoint is already past it): skipped by every projection.
        List<ConsumerRecord<String, byte[]>> everything = new ArrayList<>(aliceLog);
        everything.addAll(bobLog);
        for (Projection projection : PROJECTIONS) {
            new BatchWriter(projection, TestDatabase.dataSource(), null)
                    .writeOrPark(everything, Map.of(0, 5L, 1, 6L), Map.of(0, 5L, 1, 6L));
        }
        assertEquals(before, checksums());

        // Even past the positions, straight into the projection: a reversal's steps applied again
        // leave t-1 at 20.00 reversed, since the amount is recounted from the rows, never added to.
        try (Connection connection = TestDatabase.dataSource().getConnection()) {
            new TransfersProjection().apply(connection, List.of(
                    saga("rev-1", alice.credited(5, "rev-1", "bob", 2000, 6000, at(7), "t-1")),
                    saga("rev-1", bob.debited(3, "rev-1", "alice", 2000, 4000, at(6), "t-1")),
                    saga("rev-1", alice.credited(5, "rev-1", "bob", 2000, 6000, at(7), "t-1"))));
        }
        assertEquals(before, checksums());
    }

    @Test
    void a_reversal_read_before_the_transfer_it_reverses_is_counted_once_the_transfer_has_a_row() throws Exception {
        // The runner never does this (the original's row exists before its reversal can complete), but
        // the projection does not rely on it: a rebuild from any order of events ends the same.
        try (Connection connection = TestDatabase.dataSource().getConnection()) {
            TransfersProjection transfers = new TransfersProjection();
            transfers.apply(connection, List.of(alice.credited(5, "rev-1", "bob", 2000, 6000, at(7), "t-1"),
                    bob.debited(5, "rev-2", "alice", 1000, 3000, at(9), "t-1")));
            assertEquals(List.of("rev-1:COMPLETED:2000:bob>alice:t-1:0", "rev-2:PENDING:1000:bob>alice:t-1:0"),
                    transfers());

            transfers.apply(connection, List.of(bob.credited(2, "t-1", "alice", 6000, 6000, at(4))));
            assertEquals("t-1:COMPLETED:6000:alice>bob:-:2000", transfer("t-1"));

            // rev-2 credited after all (as if it had completed): t-1 counts both.
            transfers.apply(connection, List.of(alice.credited(6, "rev-2", "bob", 1000, 7000, at(11), "t-1")));
            assertEquals("t-1:COMPLETED:6000:alice>bob:-:3000", transfer("t-1"));
        }
    }

    /** Each record in its own batch, through every projection, from where the last batch left its partition. */
    private void apply(ConsumerRecord<String, byte[]> record) {
        Map<Integer, Long> from = checkpoints.containsKey(record.partition())
                ? Map.of(record.partition(), checkpoints.get(record.partition())) : Map.of();
        Map<Integer, Long> next = Map.of(record.partition(), record.offset() + 1);
        for (Projection projection : PROJECTIONS) {
            int parked = new BatchWriter(projection, TestDatabase.dataSource(), null)
                    .writeOrPark(List.of(record), from, next);
            assertEquals(0, parked, () -> projection.name() + " parked " + record);
        }
        checkpoints.put(record.partition(), record.offset() + 1);
    }

    private void apply(List<ConsumerRecord<String, byte[]>> records) {
        records.forEach(this::apply);
    }

    /** Records of one partition in one batch, through every projection. */
    private void applyBatch(List<ConsumerRecord<String, byte[]>> records) {
        int partition = records.get(0).partition();
        Map<Integer, Long> from = checkpoints.containsKey(partition) ? Map.of(partition, checkpoints.get(partition))
                : Map.of();
        Map<Integer, Long> next = LogOf.nextOffsets(records);
        for (Projection projection : PROJECTIONS) {
            assertEquals(0, new BatchWriter(projection, TestDatabase.dataSource(), null).writeOrPark(records, from, next),
                    () -> projection.name() + " parked an event");
        }
        checkpoints.putAll(next);
    }

    private void restart() {
        TestDatabase.truncateAll();
        checkpoints.clear();
    }

    /** id:status:amount:from>to:reversalOf:reversedAmount */
    private static List<String> transfers() {
        return column("""
                select transfer_id || ':' || status || ':' || amount_minor || ':' || from_account_id || '>'
                       || to_account_id || ':' || coalesce(reversal_of, '-') || ':' || reversed_amount_minor
                from transfers order by transfer_id""");
    }

    private static String transfer(String id) {
        return transfers().stream().filter(t -> t.startsWith(id + ":")).findFirst().orElse(null);
    }

    /** sequence:type:amount:transferId:reversalOf */
    @Test
    void a_correcting_deposit_or_withdrawal_names_what_it_reverses_on_its_statement_line() throws Exception {
        GivenEvents carol = new GivenEvents("carol");
        apply(log.append(2, events(carol.opened(at(1)), carol.deposited(2, 5_000, 5_000, at(2)),
                carol.withdrawn(3, 1_000, 4_000, at(3)), carol.withdrawnReversing(4, 2_000, 2_000, "tx-2", at(4)),
                carol.depositedReversing(5, 1_000, 3_000, "tx-3", at(5)))));
        assertEquals(List.of("2:DEPOSIT:5000:-", "3:WITHDRAWAL:-1000:-", "4:WITHDRAWAL:-2000:tx-2", "5:DEPOSIT:1000:tx-3"),
                column("select sequence || ':' || type || ':' || amount_minor || ':' || coalesce(reversal_of, '-')"
                        + " from entries where account_id = 'carol' order by sequence"));
        assertChecksPass();
    }

    private static List<String> entries(String account) {
        return column("select sequence || ':' || type || ':' || amount_minor || ':' || coalesce(transfer_id, '-')"
                + " || ':' || coalesce(reversal_of, '-') from entries where account_id = '" + account
                + "' order by sequence");
    }

    private static void assertChecksPass() throws Exception {
        try (Connection connection = TestDatabase.dataSource().getConnection()) {
            Map<String, ReconciliationReport.Outcome> outcomes = new LinkedHashMap<>();
            Map<String, List<String>> mismatches = new LinkedHashMap<>();
            ReadModelChecks.run(connection).forEach(c -> {
                outcomes.put(c.name(), c.outcome());
                mismatches.put(c.name(), c.mismatches());
            });
            assertTrue(outcomes.values().stream().allMatch(o -> o == ReconciliationReport.Outcome.OK),
                    () -> outcomes + " " + mismatches);
        }
    }

    private static List<String> column(String query) {
        return TestDatabase.rows(query).stream().map(r -> r.values().iterator().next()).toList();
    }

    private static Map<String, String> checksums() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String table : List.of("accounts", "holds", "entries", "account_history", "daily_balances", "transfers",
                "audit_log", "projection_account_positions", "dead_letters",
                "(select projection, topic, partition, next_offset from projection_checkpoints)")) {
            sums.put(table, TestDatabase.rows("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by "
                    + "t::text)), '') as sum from " + table + " t").get(0).get("sum"));
        }
        return sums;
    }

    /** Every event of one transfer's saga carries the request's correlation id, as the write model writes it. */
    private static ProjectedEvent saga(String transferId, ProjectedEvent event) {
        event.meta().setCorrelationId("corr-" + transferId);
        return event;
    }

    private static Instant at(int minute) {
        return T.plusSeconds(60L * minute);
    }

    private static SpecificRecord[] events(ProjectedEvent... events) {
        return Arrays.stream(events).map(ProjectedEvent::event).toArray(SpecificRecord[]::new);
    }
}
