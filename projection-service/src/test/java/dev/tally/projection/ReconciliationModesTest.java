package dev.tally.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.projection.accounts.AccountsProjectionWriter;
import dev.tally.projection.audit.AuditProjection;
import dev.tally.projection.daily.DailyBalancesProjection;
import dev.tally.projection.history.AccountHistoryProjection;
import dev.tally.projection.reconciliation.ReadModelChecks;
import dev.tally.projection.reconciliation.ReconciliationReport.Check;
import dev.tally.projection.reconciliation.ReconciliationReport.Outcome;
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
 * Issue 17: the scheduled reconciliation reads running totals the projections keep (one row per
 * account) instead of summing every statement line and history row each interval; the full one sums
 * the tables and checks the totals against them. Real PostgreSQL, events written as the runner does.
 */
class ReconciliationModesTest {

    private static final Instant T = Instant.parse("2026-12-05T09:00:00Z");
    private static final List<Projection> PROJECTIONS = List.of(new AccountsProjectionWriter(),
            new StatementsProjectionWriter(), new AccountHistoryProjection(), new DailyBalancesProjection(),
            new TransfersProjection(), new AuditProjection());

    private final GivenEvents alice = new GivenEvents("alice");
    private final LogOf log = new LogOf();

    @BeforeEach
    void fourEventsInTwoBatches() {
        TestDatabase.truncateAll();
        List<ConsumerRecord<String, byte[]>> records = log.append(0, records(alice.opened(T),
                alice.deposited(2, 10_000, 10_000, T.plusSeconds(60)),
                alice.withdrawn(3, 2_500, 7_500, T.plusSeconds(120)),
                alice.deposited(4, 500, 8_000, T.plusSeconds(180))));
        writeAll(records.subList(0, 2), Map.of(), Map.of(0, 2L));
        writeAll(records.subList(2, 4), Map.of(0, 2L), Map.of(0, 4L)); // the totals add up across batches
    }

    @Test
    void the_projections_keep_running_totals_in_step_with_their_rows() throws Exception {
        assertEquals(List.of(Map.of("total_minor", "8000", "deposits_minor", "10500", "withdrawals_minor", "-2500",
                        "lines", "3", "currency", "USD")),
                TestDatabase.rows("select total_minor, deposits_minor, withdrawals_minor, lines, currency from statement_totals"));
        assertEquals(List.of(Map.of("events", "4")), TestDatabase.rows("select events from history_counts"));
        assertEquals(allOk(full()), outcomes(full()));
        assertEquals(allOk(totals()), outcomes(totals()));
    }

    @Test
    void a_balance_that_differs_from_its_lines_is_found_by_both() throws Exception {
        TestDatabase.sql("update accounts set balance_minor = balance_minor + 1");
        assertEquals(Outcome.MISMATCH, outcomes(totals()).get("balance-equals-entries"));
        assertEquals(Outcome.MISMATCH, outcomes(full()).get("balance-equals-entries"));
    }

    @Test
    void a_statement_line_changed_behind_the_projection_is_found_by_the_full_run_which_checks_the_totals() throws Exception {
        TestDatabase.sql("update entries set amount_minor = amount_minor + 1 where sequence = 4");
        Map<String, Outcome> full = outcomes(full());
        assertEquals(Outcome.MISMATCH, full.get("statement-totals-equal-lines"));
        assertEquals(Outcome.MISMATCH, full.get("balance-equals-entries"));
        // The totals run trusts the totals: what it reads still agrees. That is the trade, and why a
        // full run comes every TALLY_RECONCILIATION_FULL_INTERVAL.
        assertEquals(Outcome.OK, outcomes(totals()).get("balance-equals-entries"));
    }

    @Test
    void a_history_row_lost_is_found_by_the_full_run() throws Exception {
        TestDatabase.sql("delete from account_history where sequence = 2");
        Map<String, Outcome> full = outcomes(full());
        assertEquals(Outcome.MISMATCH, full.get("history-counts-equal-history"));
        assertEquals(Outcome.MISMATCH, full.get("version-equals-event-count"));
    }

    private static List<Check> full() throws Exception {
        try (Connection connection = TestDatabase.dataSource().getConnection()) {
            return ReadModelChecks.run(connection);
        }
    }

    private static List<Check> totals() throws Exception {
        try (Connection connection = TestDatabase.dataSource().getConnection()) {
            return ReadModelChecks.runOnTotals(connection);
        }
    }

    private static Map<String, Outcome> outcomes(List<Check> checks) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        checks.forEach(c -> outcomes.put(c.name(), c.outcome()));
        return outcomes;
    }

    private static Map<String, Outcome> allOk(List<Check> checks) {
        Map<String, Outcome> ok = new LinkedHashMap<>();
        checks.forEach(c -> ok.put(c.name(), Outcome.OK));
        return ok;
    }

    private static void writeAll(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> from,
                                 Map<Integer, Long> next) {
        for (Projection projection : PROJECTIONS) {
            assertEquals(0, new BatchWriter(projection, TestDatabase.dataSource(), null).writeOrPark(records, from, next));
        }
    }

    private static SpecificRecord[] records(ProjectedEvent... events) {
        return java.util.Arrays.stream(events).map(ProjectedEvent::event).toArray(SpecificRecord[]::new);
    }
}
