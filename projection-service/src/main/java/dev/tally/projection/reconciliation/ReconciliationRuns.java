package dev.tally.projection.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reconciliation across projection-service instances. N instances each running the checks every
 * interval would be N times the load for the same answer: the scheduled run goes to whichever
 * instance takes the advisory lock first and finds the stored report older than the interval; the
 * others adopt the stored report. That run reads the running totals, unless the last full run
 * stored is older than the full interval: then it sums the tables. An on-demand run always runs.
 * The newest report wins the one stored row, whichever instance wrote it.
 */
final class ReconciliationRuns {

    /** Runs the checks on this instance: the full ones (tables summed) or on the running totals. */
    interface Checks {
        ReconciliationReport run(boolean full) throws SQLException;
    }

    private static final String LOCK_KEY = "tally-reconciliation";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final String instance;

    ReconciliationRuns(DataSource dataSource, ObjectMapper json, String instance) {
        this.dataSource = dataSource;
        this.json = json;
        this.instance = instance;
    }

    /**
     * The scheduled run: the checks run here only if no other instance runs them now and the stored
     * report is at least {@code interval} old (less a tenth, so timers that drift do not skip a round).
     *
     * @return the latest report after this call (run here, or stored by another instance), if any
     */
    Optional<ReconciliationReport> runIfDue(Duration interval, Duration fullInterval, Checks checks) throws SQLException {
        try (Connection lockHolder = dataSource.getConnection()) {
            lockHolder.setAutoCommit(true);
            if (!advisoryLock(lockHolder, "pg_try_advisory_lock")) {
                return stored(); // another instance is running it right now
            }
            try {
                Optional<ReconciliationReport> stored = stored();
                Instant due = Instant.now().minus(interval.minus(interval.dividedBy(10)));
                if (stored.isPresent() && stored.get().checkedAt().isAfter(due)) {
                    return stored;
                }
                Optional<Instant> lastFull = lastFullRun();
                boolean full = lastFull.isEmpty() || lastFull.get().isBefore(Instant.now().minus(fullInterval));
                ReconciliationReport fresh = checks.run(full);
                store(fresh);
                return Optional.of(fresh);
            } finally {
                advisoryLock(lockHolder, "pg_advisory_unlock");
            }
        }
    }

    /** Keeps the report unless a newer one is stored already. */
    void store(ReconciliationReport report) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     insert into reconciliation_reports (id, checked_at, instance, report, full_checked_at)
                     values (1, ?, ?, ?::jsonb, ?)
                     on conflict (id) do update set checked_at = excluded.checked_at, instance = excluded.instance,
                         report = excluded.report,
                         full_checked_at = coalesce(excluded.full_checked_at, reconciliation_reports.full_checked_at)
                     where reconciliation_reports.checked_at < excluded.checked_at""")) {
            connection.setAutoCommit(true);
            upsert.setTimestamp(1, Timestamp.from(report.checkedAt()));
            upsert.setString(2, instance);
            upsert.setString(3, json.writeValueAsString(report));
            upsert.setTimestamp(4, ReconciliationReport.FULL.equals(report.mode()) ? Timestamp.from(report.checkedAt()) : null);
            upsert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the reconciliation report as JSON", e);
        }
    }

    /** When the last full run that was stored ran, if any did. */
    Optional<Instant> lastFullRun() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select full_checked_at from reconciliation_reports where id = 1");
             ResultSet row = select.executeQuery()) {
            return row.next() && row.getTimestamp(1) != null ? Optional.of(row.getTimestamp(1).toInstant()) : Optional.empty();
        }
    }

    Optional<ReconciliationReport> stored() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select report::text from reconciliation_reports where id = 1");
             ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(json.readValue(row.getString(1), ReconciliationReport.class)) : Optional.empty();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored reconciliation report is not readable", e);
        }
    }

    private static boolean advisoryLock(Connection connection, String function) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select " + function + "(hashtext(?))")) {
            lock.setString(1, LOCK_KEY);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }
}
