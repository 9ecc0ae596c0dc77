package dev.tally.projection.reconciliation;

import dev.tally.projection.reconciliation.ReconciliationReport.Check;
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
 * The read side proving itself, continuously: every 30 s and on demand it runs {@link ReadModelChecks}
 * in one snapshot (REPEATABLE READ) and keeps the report for {@code GET /reconciliation} and the
 * metrics.
 */
@ApplicationScoped
public class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class);

    private final AgroalDataSource dataSource;
    private final Duration interval;
    private volatile ReconciliationReport last;
    private ScheduledExecutorService schedule;

    Reconciliation(AgroalDataSource dataSource, MeterRegistry metrics,
                   @ConfigProperty(name = "tally.reconciliation.interval", defaultValue = "30s") Duration interval) {
        this.dataSource = dataSource;
        this.interval = interval;
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

    public ReconciliationReport last() {
        return last;
    }

    public synchronized ReconciliationReport run() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                List<Check> checks = ReadModelChecks.run(connection);
                last = ReconciliationReport.of(Instant.now(), checks);
                return last;
            } finally {
                connection.rollback();
            }
        }
    }

    private void runQuietly() {
        try {
            ReconciliationReport report = run();
            if (!"OK".equals(report.status())) {
                LOG.errorf("Reconciliation found mismatches: %s", report.checks());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Reconciliation could not run: %s", e.getMessage());
        }
    }
}
