package dev.tally.projection.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.projection.reconciliation.ReconciliationReport.Check;
import dev.tally.projection.reconciliation.ReconciliationReport.Outcome;
import dev.tally.projection.runner.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two projection-service instances' scheduled reconciliation on one database: the checks run once
 * per interval on one of them, never on both at once, and both report the same latest result.
 */
class ReconciliationRunsTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration FULL_INTERVAL = Duration.ofHours(1);
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final ReconciliationRuns first = new ReconciliationRuns(TestDatabase.dataSource(), json, "pod-a");
    private final ReconciliationRuns second = new ReconciliationRuns(TestDatabase.dataSource(), json, "pod-b");
    private final AtomicInteger ran = new AtomicInteger();

    @BeforeEach
    void noReportYet() {
        TestDatabase.sql("delete from reconciliation_reports");
    }

    @Test
    void the_scheduled_checks_run_on_one_instance_per_interval_and_the_other_reports_that_run() throws Exception {
        ReconciliationReport mine = first.runIfDue(INTERVAL, FULL_INTERVAL, full -> report("MISMATCH")).orElseThrow();
        ReconciliationReport theirs = second.runIfDue(INTERVAL, FULL_INTERVAL, full -> report("OK")).orElseThrow();
        assertEquals(1, ran.get(), "the second instance found a fresh report and did not run the checks");
        assertEquals(mine, theirs, "every instance reports the same run, mismatches and all");
        assertEquals("MISMATCH", theirs.status());
        assertEquals(List.of("acc-1 differs"), theirs.checks().get(0).mismatches());
    }

    @Test
    void while_one_instance_runs_the_checks_the_other_does_not_start_them_too() throws Exception {
        AtomicInteger concurrentRuns = new AtomicInteger();
        first.runIfDue(INTERVAL, FULL_INTERVAL, full -> {
            // Mid-run, the other instance's timer fires: it must not run them as well.
            Optional<ReconciliationReport> meanwhile = second.runIfDue(Duration.ZERO, FULL_INTERVAL, again -> {
                concurrentRuns.incrementAndGet();
                return report("OK");
            });
            assertTrue(meanwhile.isEmpty(), "nothing stored yet, and nothing run: " + meanwhile);
            return report("OK");
        });
        assertEquals(0, concurrentRuns.get());
    }

    @Test
    void once_the_stored_report_is_an_interval_old_the_next_timer_runs_them_again() throws Exception {
        first.store(new ReconciliationReport("OK", ReconciliationReport.FULL, Instant.now().minus(INTERVAL).truncatedTo(ChronoUnit.MICROS), List.of()));
        ReconciliationReport fresh = second.runIfDue(INTERVAL, FULL_INTERVAL, full -> report("OK")).orElseThrow();
        assertEquals(1, ran.get());
        assertEquals(fresh, first.stored().orElseThrow());
    }

    @Test
    void an_older_report_never_replaces_a_newer_one() throws Exception {
        ReconciliationReport newer = new ReconciliationReport("OK", ReconciliationReport.FULL, Instant.parse("2026-12-05T10:00:00Z"), List.of());
        ReconciliationReport older = new ReconciliationReport("MISMATCH", ReconciliationReport.FULL, Instant.parse("2026-12-05T09:59:00Z"), List.of());
        first.store(newer);
        second.store(older); // a slow on-demand run finishing late
        assertEquals(newer, second.stored().orElseThrow());
    }

    @Test
    void the_scheduled_run_is_a_full_one_first_then_on_the_totals_until_the_full_interval_has_passed() throws Exception {
        List<Boolean> fullRuns = new java.util.ArrayList<>();
        Duration everyTime = Duration.ZERO;
        first.runIfDue(everyTime, FULL_INTERVAL, full -> fullReport(fullRuns, full));
        second.runIfDue(everyTime, FULL_INTERVAL, full -> fullReport(fullRuns, full));
        first.runIfDue(everyTime, FULL_INTERVAL, full -> fullReport(fullRuns, full));
        TestDatabase.sql("update reconciliation_reports set full_checked_at = now() - interval '61 minutes'");
        second.runIfDue(everyTime, FULL_INTERVAL, full -> fullReport(fullRuns, full));
        assertEquals(List.of(true, false, false, true), fullRuns, "full, on totals twice, full again an hour after the last full one");
        assertEquals(ReconciliationReport.FULL, first.stored().orElseThrow().mode());
    }

    private static ReconciliationReport fullReport(List<Boolean> runs, boolean full) {
        runs.add(full);
        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // each report newer than the last, as real runs are
        return ReconciliationReport.of(full ? ReconciliationReport.FULL : ReconciliationReport.TOTALS,
                Instant.now().truncatedTo(ChronoUnit.MICROS), List.of());
    }

    private ReconciliationReport report(String status) {
        ran.incrementAndGet();
        Check check = new Check("balances-equal-entries", "each balance is the sum of its entries",
                status.equals("OK") ? Outcome.OK : Outcome.MISMATCH,
                status.equals("OK") ? List.of() : List.of("acc-1 differs"));
        return ReconciliationReport.of(ReconciliationReport.TOTALS, Instant.now().truncatedTo(ChronoUnit.MICROS), List.of(check));
    }
}
