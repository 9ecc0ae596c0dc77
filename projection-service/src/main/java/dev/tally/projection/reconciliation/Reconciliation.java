package dev.tally.projection.reconciliation;

import dev.tally.projection.reconciliation.ReconciliationReport.Check;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.projection.runner.ProjectionRunners;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The read side proving itself, continuously: every 30 s it runs {@link ReadModelChecks} on the
 * running totals the projections keep (one row per account, whatever the log's length), every hour
 * and on demand the full checks that sum the tables (and check those totals), each in one snapshot
 * (REPEATABLE READ), and keeps the report for {@code GET /reconciliation} and the metrics. With
 * several instances the scheduled run happens on one of them per interval and every instance
 * reports the latest one ({@link ReconciliationRuns}).
 */
@ApplicationScoped
public class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class);

    private final AgroalDataSource dataSource;
    private final Duration interval;
    private final Duration fullInterval;
    private final ReconciliationRuns runs;
    private volatile ReconciliationReport last;
    private ScheduledExecutorService schedule;

    Reconciliation(AgroalDataSource dataSource, MeterRegistry metrics, ObjectMapper json, ProjectionRunners runners,
                   @ConfigProperty(name = "tally.reconciliation.interval", defaultValue = "30s") Duration interval,
                   @ConfigProperty(name = "tally.reconciliation.full-interval", defaultValue = "1h") Duration fullInterval) {
        this.dataSource = dataSource;
        this.interval = interval;
        this.fullInterval = fullInterval;
        this.runs = new ReconciliationRuns(dataSource, json, runners.instance() + "/" + ProcessHandle.current().pid());
        Gauge.builder("tally.reconciliation.mismatches", this, r -> r.last == null ? 0 : r.last.mismatchCount())
                .description("offenders found by the last reconciliation run").register(metrics);
        Gauge.builder("tally.reconciliation.ok", this, r -> r.last == null || "OK".equals(r.last.status()) ? 1 : 0)
                .register(metrics);
    }

    void start(@Observes StartupEvent startup) {
        schedule = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("reconciliation").daemon()
                .unstarted(r));
        schedule.scheduleWithFixedDelay(this::runQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        schedule.shutdownNow();
    }

    /** The latest report, from whichever instance ran it; null if none has run yet. */
    public ReconciliationReport last() {
        try {
            runs.stored().filter(stored -> last == null || stored.checkedAt().isAfter(last.checkedAt()))
                    .ifPresent(stored -> last = stored);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Stored reconciliation report unreadable, answering with this instance's: %s", e.getMessage());
        }
        return last;
    }

    /** Runs the full checks now, here, and shares the report with the other instances. */
    public ReconciliationReport run() throws SQLException {
        ReconciliationReport report = check(true);
        try {
            runs.store(report);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Could not share the reconciliation report with other instances: %s", e.getMessage());
        }
        return report;
    }

    private synchronized ReconciliationReport check(boolean full) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                List<Check> checks = full ? ReadModelChecks.run(connection) : ReadModelChecks.runOnTotals(connection);
                last = ReconciliationReport.of(full ? ReconciliationReport.FULL : ReconciliationReport.TOTALS,
                        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), checks);
                return last;
            } finally {
                connection.rollback();
            }
        }
    }

    private void runQuietly() {
        try {
            runs.runIfDue(interval, fullInterval, full -> {
                ReconciliationReport report = check(full);
                if (!"OK".equals(report.status())) { // logged by the instance that found it, once
                    LOG.errorf("Reconciliation found mismatches: %s", report.checks());
                }
                return report;
            }).filter(latest -> last == null || !latest.checkedAt().isBefore(last.checkedAt())).ifPresent(latest -> last = latest);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Reconciliation could not run: %s", e.getMessage());
        }
    }
}
