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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-phase transfers through every projection, as the runner writes them (encoded records, one
 * batch per event, positions, checkpoints), into a real PostgreSQL, each table checked after each
 * event: alice reserves three transfers to bob; one is posted (its TransferDebited, bob's
 * TransferCredited, alice's TransferCompleted), one voided by a client, one expired by the write model.
 */
class TwoPhaseTransfersReadModelTest {

    private static final Instant T = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant EXPIRY = Instant.parse("2026-12-08T09:00:00Z");
    private static final List<Projection> PROJECTIONS = List.of(new AccountsProjectionWriter(),
            new StatementsProjectionWriter(), new AccountHistoryProjection(), new DailyBalancesProjection(),
            new TransfersProjection(), new AuditProjection());

    private final GivenEvents alice = new GivenEvents("alice");
    private final GivenEvents bob = new GivenEvents("bob");
    private final LogOf log = new LogOf();
    /** Per partition, the checkpoint the last batch left: where the next batch starts. */
    private final Map<Integer, Long> checkpoints = new HashMap<>();

    /** alice (partition 0): ten events; bob (partition 1): opened, credited. */
    private List<ConsumerRecord<String, byte[]>> aliceLog;
    private List<ConsumerRecord<String, byte[]>> bobLog;

    @BeforeEach
    void emptyTables() {
        TestDatabase.truncateAll();
        aliceLog = log.append(0, events(alice.opened(at(1)),
                alice.deposited(2, 10_000, 10_000, at(2)),
                alice.reserved(3, "t-post", "bob", 3000, 3000, EXPIRY, at(3)),
                alice.reserved(4, "t-void", "bob", 2000, 5000, EXPIRY, at(4)),
                alice.reserved(5, "t-expire", "bob", 1000, 6000, at(5).plusSeconds(1), at(5)),
                alice.posted(6, "t-post", "bob", 2500, 500, 3000, at(6)),
                alice.debited(7, "t-post", "bob", 2500, 7500, at(6)),
                alice.voided(8, "t-void", "bob", 2000, 1000, false, "changed mind", at(8)),
                alice.voided(9, "t-expire", "bob", 1000, 0, true, null, at(9)),
                alice.completed(10, "t-post", "bob", 2500, at(10))));
        bobLog = log.append(1, events(bob.opened(at(1)), bob.credited(2, "t-post", "alice", 2500, 2500, at(7))));
    }

    @Test
    void each_event_of_a_reserved_posted_voided_and_expired_transfer_shows_in_every_read_model() throws Exception {
        apply(aliceLog.get(0), aliceLog.get(1));
        assertEquals(List.of(), transfers());
        assertAlice("10000:0:10000:2");

        apply(aliceLog.get(2)); // reserved t-post
        assertEquals(List.of("t-post:RESERVED:3000:3000:true:" + EXPIRY + ":" + at(3) + ":-:-:rent:corr-3"), transfers());
        assertAlice("10000:3000:7000:3");
        assertEquals(List.of("transfer/t-post:OPEN:3000:-:-:-:3"), holds());
        assertChecksPass();

        apply(aliceLog.get(3), aliceLog.get(4)); // reserved t-void, t-expire
        assertEquals(List.of("t-expire:RESERVED:1000:1000:true:" + at(5).plusSeconds(1) + ":" + at(5) + ":-:-:rent:corr-5",
                "t-post:RESERVED:3000:3000:true:" + EXPIRY + ":" + at(3) + ":-:-:rent:corr-3",
                "t-void:RESERVED:2000:2000:true:" + EXPIRY + ":" + at(4) + ":-:-:rent:corr-4"), transfers());
        assertAlice("10000:6000:4000:5");
        assertEquals(List.of("transfer/t-expire:OPEN:1000:-:-:-:5", "transfer/t-post:OPEN:3000:-:-:-:3",
                "transfer/t-void:OPEN:2000:-:-:-:4"), holds());
        assertChecksPass();

        // Posted: the reservation closes (2500 posted, 500 free again), but no money has moved yet.
        apply(aliceLog.get(5));
        assertEquals("t-post:POSTED:2500:3000:true:" + EXPIRY + ":" + at(3) + ":-:-:rent:corr-3", transfer("t-post"));
        assertAlice("10000:3000:7000:6");
        assertEquals("transfer/t-post:CAPTURED:3000:2500:500:t-post:6", hold("t-post"));
        assertEquals(List.of("2:DEPOSIT:10000"), entries("alice"));
        assertChecksPass(); // not yet in flight: the ledger total holds without it

        // Its TransferDebited moves the money and leaves the transfer POSTED, now in flight.
        apply(aliceLog.get(6));
        assertEquals("t-post:POSTED:2500:3000:true:" + EXPIRY + ":" + at(3) + ":-:-:rent:corr-3", transfer("t-post"));
        assertAlice("7500:3000:4500:7");
        assertEquals(List.of("2:DEPOSIT:10000", "7:TRANSFER_OUT:-2500:t-post"), entries("alice"));
        assertChecksPass(); // in flight: balances 7500 = deposits 10000 - in flight 2500

        apply(bobLog.get(0), bobLog.get(1)); // bob credited
        assertEquals("t-post:COMPLETED:2500:3000:true:" + EXPIRY + ":" + at(3) + ":" + at(7) + ":-:rent:corr-3",
                transfer("t-post"));
        assertEquals(List.of("2:TRANSFER_IN:2500:t-post"), entries("bob"));
        assertChecksPass();

        apply(aliceLog.get(7)); // voided by a client
        assertEquals("t-void:VOIDED:2000:2000:true:" + EXPIRY + ":" + at(4) + ":" + at(8) + ":changed mind:rent:corr-4",
                transfer("t-void"));
        assertAlice("7500:1000:6500:8");
        assertEquals("transfer/t-void:RELEASED:2000:-:2000:-:8", hold("t-void"));
        assertChecksPass();

        apply(aliceLog.get(8)); // expired by the write model
        assertEquals("t-expire:EXPIRED:1000:1000:true:" + at(5).plusSeconds(1) + ":" + at(5) + ":" + at(9)
                + ":-:rent:corr-5", transfer("t-expire"));
        assertAlice("7500:0:7500:9");
        assertEquals("transfer/t-expire:EXPIRED:1000:-:1000:-:9", hold("t-expire"));
        assertChecksPass();

        apply(aliceLog.get(9)); // TransferCompleted: bookkeeping on the source
        assertEquals("t-post:COMPLETED:2500:3000:true:" + EXPIRY + ":" + at(3) + ":" + at(7) + ":-:rent:corr-3",
                transfer("t-post"));
        assertAlice("7500:0:7500:10");
        assertChecksPass();

        // Reservations move no money: the only lines are the deposit and the posted transfer's two sides.
        assertEquals(List.of("2:DEPOSIT:10000", "7:TRANSFER_OUT:-2500:t-post"), entries("alice"));
        assertEquals(List.of(Map.of("account_id", "alice", "opening_balance_minor", "0", "closing_balance_minor", "7500",
                        "total_in_minor", "10000", "total_out_minor", "2500", "entry_count", "2"),
                Map.of("account_id", "bob", "opening_balance_minor", "0", "closing_balance_minor", "2500",
                        "total_in_minor", "2500", "total_out_minor", "0", "entry_count", "1")), TestDatabase.rows("""
                select account_id, opening_balance_minor, closing_balance_minor, total_in_minor, total_out_minor,
                       entry_count from daily_balances order by account_id"""));
        assertEquals(List.of("0:0", "10000:0", "10000:3000", "10000:5000", "10000:6000", "10000:3000", "7500:3000",
                        "7500:1000", "7500:0", "7500:0"),
                column("select balance_minor || ':' || held_minor from account_history where account_id = 'alice'"
                        + " order by sequence"));
        assertEquals(List.of("3:TransferReserved:t-post:3000", "6:TransferPosted:t-post:2500",
                        "8:TransferVoided:t-void:2000:changed mind", "9:TransferVoided:t-expire:1000:true"),
                column("""
                        select sequence || ':' || event_type || ':' || (details->>'transferId') || ':'
                               || coalesce(details->>'amountMinor', details->>'postedMinor', details->>'releasedMinor')
                               || case when event_type = 'TransferVoided' and details->>'expired' = 'true' then ':true'
                                       else coalesce(':' || (details->>'reason'), '') end
                        from audit_log where account_id = 'alice' and sequence in (3, 6, 8, 9) order by sequence"""));
        assertEquals(List.of("12"), column("select count(*) from audit_log"));
        assertEquals(List.of(), TestDatabase.rows("select projection, error from dead_letters"));
    }

    @Test
    void an_event_delivered_again_changes_nothing() {
        apply(aliceLog.toArray(ConsumerRecord[]::new));
        apply(bobLog.toArray(ConsumerRecord[]::new));
        Map<String, String> before = checksums();

        // Redelivered after the commit (the checkpoint is already past it): at or below its account's
        // position, skipped by every projection. First the TransferPosted alone, then everything.
        for (Projection projection : PROJECTIONS) {
            new BatchWriter(projection, TestDatabase.dataSource(), null)
                    .writeOrPark(List.of(aliceLog.get(5)), Map.of(0, 10L), Map.of(0, 10L));
        }
        assertEquals(before, checksums());
        List<ConsumerRecord<String, byte[]>> everything = new ArrayList<>(aliceLog);
        everything.addAll(bobLog);
        for (Projection projection : PROJECTIONS) {
            new BatchWriter(projection, TestDatabase.dataSource(), null)
                    .writeOrPark(everything, Map.of(0, 10L, 1, 2L), Map.of(0, 10L, 1, 2L));
        }
        assertEquals(before, checksums());
    }

    @Test
    void the_read_models_are_the_same_whichever_partition_is_read_first() {
        // Source first, as in the test above.
        apply(aliceLog.toArray(ConsumerRecord[]::new));
        apply(bobLog.toArray(ConsumerRecord[]::new));
        Map<String, String> sourceFirst = checksums();
        List<String> transfers = transfers();

        // The target's credit first: it creates the row (COMPLETED, one-phase as far as it knows);
        // the source's steps then add what only they know, and move nothing back.
        restart();
        apply(bobLog.toArray(ConsumerRecord[]::new));
        apply(aliceLog.toArray(ConsumerRecord[]::new));
        assertEquals(transfers, transfers());
        assertEquals(sourceFirst, checksums());

        // The credit between the posting and its debit, in batches of several events: the reservation
        // and its posting in one, the debit, void, expiry and completion in another.
        restart();
        applyBatch(aliceLog.subList(0, 6));
        applyBatch(bobLog);
        applyBatch(aliceLog.subList(6, 10));
        assertEquals(transfers, transfers());
        assertEquals(sourceFirst, checksums());
    }

    @Test
    void a_posting_of_a_transfer_never_reserved_parks_in_the_accounts_projection_only() {
        List<ConsumerRecord<String, byte[]>> records = log.append(2, events(new GivenEvents("carol").opened(at(1)),
                new GivenEvents("carol").posted(2, "t-none", "bob", 100, 0, 0, at(2))));

        for (Projection projection : PROJECTIONS) {
            new BatchWriter(projection, TestDatabase.dataSource(), null).writeOrPark(records, Map.of(), Map.of(2, 2L));
        }

        List<Map<String, String>> parked = TestDatabase.rows("select projection, error from dead_letters");
        assertEquals(1, parked.size(), parked::toString);
        assertEquals("accounts", parked.get(0).get("projection"));
        assertTrue(parked.get(0).get("error").contains("TransferPosted of hold transfer/t-none, which is not placed"),
                parked::toString);
        assertEquals(List.of("1"), column("select version from accounts"));
    }

    /** Each record in its own batch, through every projection, from where the last batch left its partition. */
    @SafeVarargs
    private void apply(ConsumerRecord<String, byte[]>... records) {
        for (ConsumerRecord<String, byte[]> record : records) {
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

    /** id:status:amount:reserved:twoPhase:expiresAt:requestedAt:completedAt:reason:reference:correlationId */
    private static List<String> transfers() {
        return column("""
                select transfer_id || ':' || status || ':' || amount_minor || ':'
                       || coalesce(reserved_amount_minor::text, '-') || ':' || two_phase || ':'
                       || coalesce(to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '-') || ':'
                       || to_char(requested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ':'
                       || coalesce(to_char(completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '-') || ':'
                       || coalesce(reason, '-') || ':' || coalesce(reference, '-') || ':' || correlation_id
                       || case when from_account_id = 'alice' and to_account_id = 'bob' and currency = 'USD'
                                    and scale = 2 and reason_code is null then '' else ':(not alice to bob)' end
                from transfers order by transfer_id""");
    }

    private static String transfer(String id) {
        return transfers().stream().filter(t -> t.startsWith(id + ":")).findFirst().orElse(null);
    }

    /** holdId:status:amount:captured:released:transactionId:lastSequence (alice's). */
    private static List<String> holds() {
        return column("""
                select hold_id || ':' || status || ':' || amount_minor || ':' || coalesce(captured_minor::text, '-')
                       || ':' || coalesce(released_minor::text, '-') || ':' || coalesce(transaction_id, '-') || ':'
                       || last_sequence
                       || case when currency = 'USD' and reference = 'rent'
                                    and metadata->>'invoice' = 'i-' || substr(hold_id, 10) then '' else ':(odd)' end
                from holds where account_id = 'alice' order by hold_id""");
    }

    private static String hold(String transferId) {
        return holds().stream().filter(h -> h.startsWith("transfer/" + transferId + ":")).findFirst().orElse(null);
    }

    private static List<String> entries(String account) {
        return column("select sequence || ':' || type || ':' || amount_minor || coalesce(':' || transfer_id, '')"
                + " from entries where account_id = '" + account + "' order by sequence");
    }

    /** balance:held:available:version of alice. */
    private static void assertAlice(String expected) {
        assertEquals(List.of(expected), column("""
                select balance_minor || ':' || held_minor || ':' || (balance_minor + overdraft_limit_minor - held_minor)
                       || ':' || version from accounts where account_id = 'alice'"""));
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

    private static Instant at(int minute) {
        return T.plusSeconds(60L * minute);
    }

    private static org.apache.avro.specific.SpecificRecord[] events(ProjectedEvent... events) {
        return java.util.Arrays.stream(events).map(ProjectedEvent::event)
                .toArray(org.apache.avro.specific.SpecificRecord[]::new);
    }
}
