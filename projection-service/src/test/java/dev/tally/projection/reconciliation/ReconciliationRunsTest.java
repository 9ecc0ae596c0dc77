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
        ReconciliationReport mine = first.runIfDue(INTERVAL, () -> report("MISMATCH")).orElseThrow();
        ReconciliationReport theirs = second.runIfDue(INTERVAL, () -> report("OK")).orElseThrow();
        assertEquals(1, ran.get(), "the second instance found a fresh report and did not run the checks");
        assertEquals(mine, theirs, "every instance reports the same run, mismatches and all");
        assertEquals("MISMATCH", theirs.status());
        assertEquals(List.of("acc-1 differs"), theirs.checks().get(0).mismatches());
    }

    @Test
    void while_one_instance_runs_the_checks_the_other_does_not_start_them_too() throws Exception {
        AtomicInteger concurrentRuns = new AtomicInteger();
        first.runIfDue(INTERVAL, () -> {
            // Mid-run, the other instance's timer fires: it must not run them as well.
            Optional<ReconciliationReport> meanwhile = second.runIfDue(Duration.ZERO, () -> {
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
        first.store(new ReconciliationReport("OK", Instant.now().minus(INTERVAL).truncatedTo(ChronoUnit.MICROS), List.of()));
        ReconciliationReport fresh = second.runIfDue(INTERVAL, () -> report("OK")).orElseThrow();
        assertEquals(1, ran.get());
        assertEquals(fresh, first.stored().orElseThrow());
    }

    @Test
    void an_older_report_never_replaces_a_newer_one() throws Exception {
        ReconciliationReport newer = new ReconciliationReport("OK", Instant.parse("2026-12-05T10:00:00Z"), List.of());
        ReconciliationReport older = new ReconciliationReport("MISMATCH", Instant.parse("2026-12-05T09:59:00Z"), List.of());
        first.store(newer);
        second.store(older); // a slow on-demand run finishing late
        assertEquals(newer, second.stored().orElseThrow());
    }

    private ReconciliationReport report(String status) {
        ran.incrementAndGet();
        Check check = new Check("balances-equal-entries", "each balance is the sum of its entries",
                status.equals("OK") ? Outcome.OK : Outcome.MISMATCH,
                status.equals("OK") ? List.of() : List.of("acc-1 differs"));
        return ReconciliationReport.of(Instant.now().truncatedTo(ChronoUnit.MICROS), List.of(check));
    }
}
