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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Holds through every projection, as the runner writes them (encoded records, batches, positions,
 * checkpoints), into a real PostgreSQL: a hold placed, one captured with the FundsWithdrawn that
 * moves its money, one released, one expired, one left open.
 */
class HoldsReadModelTest {

    private static final Instant T = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant EXPIRY = Instant.parse("2026-12-08T09:00:00Z");
    private static final List<Projection> PROJECTIONS = List.of(new AccountsProjectionWriter(),
            new StatementsProjectionWriter(), new AccountHistoryProjection(), new DailyBalancesProjection(),
            new TransfersProjection(), new AuditProjection());

    private final GivenEvents alice = new GivenEvents("alice");
    private final LogOf log = new LogOf();

    @BeforeEach
    void emptyTables() {
        TestDatabase.truncateAll();
    }

    /** Ten events: balance 100.00, three holds closed three ways, one left open. */
    private List<ConsumerRecord<String, byte[]>> tenEvents() {
        return log.append(0, records(alice.opened(at(1)),
                alice.deposited(2, 10_000, 10_000, at(2)),
                alice.held(3, "h-capture", 3000, 3000, EXPIRY, at(3)),
                alice.held(4, "h-release", 2000, 5000, EXPIRY, at(4)),
                alice.held(5, "h-expire", 1000, 6000, at(5).plusSeconds(1), at(5)),
                alice.captured(6, "h-capture", 2500, 500, 3000, at(6)),
                alice.withdrawn(7, 2500, 7500, at(6)),
                alice.released(8, "h-release", 2000, 1000, at(8)),
                alice.expired(9, "h-expire", 1000, 0, at(5).plusSeconds(1), at(9)),
                alice.held(10, "h-open", 4000, 4000, EXPIRY, at(10))));
    }

    @Test
    void given_holds_placed_captured_released_and_expired_then_every_read_model_shows_them() {
        List<ConsumerRecord<String, byte[]>> records = tenEvents();
        // Two batches, split inside the holds' lives: the second loads the holds the first stored.
        writeAll(records.subList(0, 5), Map.of(), Map.of(0, 5L));
        writeAll(records.subList(5, 10), Map.of(0, 5L), Map.of(0, 10L));

        assertEquals(List.of(), TestDatabase.rows("select projection, error from dead_letters"));
        assertEquals(List.of(Map.of("balance_minor", "7500", "held_minor", "4000", "version", "10")),
                TestDatabase.rows("select balance_minor, held_minor, version from accounts"));
        assertEquals(List.of(
                hold("h-capture", "3000", "CAPTURED", "2500", "500", at(3), EXPIRY, at(6), "tx-7", "6"),
                hold("h-expire", "1000", "EXPIRED", null, "1000", at(5), at(5).plusSeconds(1), at(9), null, "9"),
                hold("h-open", "4000", "OPEN", null, null, at(10), EXPIRY, null, null, "10"),
                hold("h-release", "2000", "RELEASED", null, "2000", at(4), EXPIRY, at(8), null, "8")),
                TestDatabase.rows("""
                        select hold_id, amount_minor, currency, status, captured_minor, released_minor,
                               extract(epoch from placed_at)::bigint as placed, extract(epoch from expires_at)::bigint
                               as expires, extract(epoch from closed_at)::bigint as closed, transaction_id,
                               last_sequence, reference, metadata->>'room' as room
                        from holds order by hold_id"""));
        // Hold events move no money: the only lines are the deposit and the capture's withdrawal.
        assertEquals(List.of(Map.of("sequence", "2", "type", "DEPOSIT", "amount_minor", "10000"),
                        Map.of("sequence", "7", "type", "WITHDRAWAL", "amount_minor", "-2500")),
                TestDatabase.rows("select sequence, type, amount_minor from entries order by sequence"));
        assertEquals(List.of(Map.of("opening_balance_minor", "0", "closing_balance_minor", "7500",
                        "total_in_minor", "10000", "total_out_minor", "2500", "entry_count", "2")),
                TestDatabase.rows("""
                        select opening_balance_minor, closing_balance_minor, total_in_minor, total_out_minor,
                               entry_count from daily_balances"""));
        assertEquals(List.of(), TestDatabase.rows("select * from transfers"));
    }

    @Test
    void given_holds_then_the_history_has_held_as_of_every_event() {
        List<ConsumerRecord<String, byte[]>> records = tenEvents();
        writeAll(records, Map.of(), Map.of(0, 10L));

        assertEquals(List.of("0:0", "10000:0", "10000:3000", "10000:5000", "10000:6000", "10000:3000", "7500:3000",
                        "7500:1000", "7500:0", "7500:4000"),
                TestDatabase.rows("select balance_minor || ':' || held_minor as v from account_history order by sequence")
                        .stream().map(r -> r.get("v")).toList());
    }

    @Test
    void given_hold_events_then_the_audit_trail_says_who_did_what_with_which_hold() {
        writeAll(tenEvents(), Map.of(), Map.of(0, 10L));

        assertEquals(List.of(
                        Map.of("sequence", "3", "event_type", "FundsHeld", "actor", "teller", "hold", "h-capture",
                                "amount", "3000"),
                        Map.of("sequence", "6", "event_type", "HoldCaptured", "actor", "teller", "hold", "h-capture",
                                "amount", "2500"),
                        Map.of("sequence", "8", "event_type", "HoldReleased", "actor", "teller", "hold", "h-release",
                                "amount", "2000"),
                        Map.of("sequence", "9", "event_type", "HoldExpired", "actor", "teller", "hold", "h-expire",
                                "amount", "1000")),
                TestDatabase.rows("""
                        select sequence, event_type, actor, details->>'holdId' as hold,
                               coalesce(details->>'amountMinor', details->>'capturedMinor', details->>'releasedMinor')
                                   as amount
                        from audit_log where event_type in ('FundsHeld', 'HoldCaptured', 'HoldReleased', 'HoldExpired')
                              and sequence in (3, 6, 8, 9) order by sequence"""));
        assertEquals(List.of(Map.of("n", "10")), TestDatabase.rows("select count(*) as n from audit_log"));
    }

    @Test
    void a_batch_applied_again_changes_nothing() {
        List<ConsumerRecord<String, byte[]>> records = tenEvents();
        writeAll(records, Map.of(), Map.of(0, 10L));
        Map<String, String> before = checksums();

        // Redelivered after the commit (the checkpoint is already past them): every event is at or
        // below its account's position and skipped, in every projection.
        writeAll(records, Map.of(0, 10L), Map.of(0, 10L));
        writeAll(records.subList(3, 8), Map.of(0, 10L), Map.of(0, 10L));

        assertEquals(before, checksums());
    }

    @Test
    void the_read_models_pass_every_check_and_a_held_amount_that_disagrees_with_the_open_holds_is_found() throws Exception {
        writeAll(tenEvents(), Map.of(), Map.of(0, 10L));
        assertTrue(checks().values().stream().allMatch(o -> o == ReconciliationReport.Outcome.OK), checks()::toString);

        TestDatabase.sql("update accounts set held_minor = 20000");

        Map<String, ReconciliationReport.Outcome> broken = checks();
        assertEquals(ReconciliationReport.Outcome.MISMATCH, broken.get("held-equals-open-holds"));
        assertEquals(ReconciliationReport.Outcome.MISMATCH, broken.get("available-not-negative"));
        assertEquals(ReconciliationReport.Outcome.OK, broken.get("balance-equals-entries"));
    }

    @Test
    void a_hold_closed_that_was_never_placed_parks_in_the_accounts_projection_only() {
        List<ConsumerRecord<String, byte[]>> records = log.append(0, records(alice.opened(at(1)),
                alice.deposited(2, 10_000, 10_000, at(2)), alice.released(3, "no-such-hold", 100, 0, at(3))));

        writeAll(records, Map.of(), Map.of(0, 3L));

        List<Map<String, String>> parked = TestDatabase.rows("select projection, error from dead_letters");
        assertEquals(1, parked.size(), parked::toString);
        assertEquals("accounts", parked.get(0).get("projection"));
        assertTrue(parked.get(0).get("error").contains("HoldReleased of hold no-such-hold, which is not placed"),
                parked::toString);
        assertEquals(List.of(Map.of("version", "2")), TestDatabase.rows("select version from accounts"));
        assertEquals(List.of(Map.of("n", "3")), TestDatabase.rows("select count(*) as n from audit_log"));
    }

    private Map<String, ReconciliationReport.Outcome> checks() throws Exception {
        try (Connection connection = TestDatabase.dataSource().getConnection()) {
            Map<String, ReconciliationReport.Outcome> outcomes = new LinkedHashMap<>();
            ReadModelChecks.run(connection).forEach(c -> outcomes.put(c.name(), c.outcome()));
            return outcomes;
        }
    }

    private static void writeAll(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> from,
                                 Map<Integer, Long> next) {
        for (Projection projection : PROJECTIONS) {
            new BatchWriter(projection, TestDatabase.dataSource(), null).writeOrPark(records, from, next);
        }
    }

    private static Map<String, String> checksums() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String table : List.of("accounts", "holds", "entries", "account_history", "daily_balances", "transfers",
                "audit_log", "projection_account_positions", "dead_letters",
                // a checkpoint's updated_at says when it was last confirmed, which a redelivery does
                "(select projection, topic, partition, next_offset from projection_checkpoints)")) {
            sums.put(table, TestDatabase.rows("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by "
                    + "t::text)), '') as sum from " + table + " t").get(0).get("sum"));
        }
        return sums;
    }

    private static Instant at(int minute) {
        return T.plusSeconds(60L * minute);
    }

    private static SpecificRecord[] records(ProjectedEvent... events) {
        return java.util.Arrays.stream(events).map(ProjectedEvent::event).toArray(SpecificRecord[]::new);
    }

    private static Map<String, String> hold(String id, String amount, String status, String captured, String released,
                                            Instant placedAt, Instant expiresAt, Instant closedAt,
                                            String transactionId, String lastSequence) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("hold_id", id);
        row.put("amount_minor", amount);
        row.put("currency", "USD");
        row.put("status", status);
        row.put("captured_minor", captured);
        row.put("released_minor", released);
        row.put("placed", String.valueOf(placedAt.getEpochSecond()));
        row.put("expires", String.valueOf(expiresAt.getEpochSecond()));
        row.put("closed", closedAt == null ? null : String.valueOf(closedAt.getEpochSecond()));
        row.put("transaction_id", transactionId);
        row.put("last_sequence", lastSequence);
        row.put("reference", "hotel");
        row.put("room", "12");
        return row;
    }
}
