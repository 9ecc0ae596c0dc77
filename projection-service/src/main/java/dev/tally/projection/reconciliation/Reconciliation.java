package dev.tally.projection.reconciliation;

import dev.tally.projection.reconciliation.ReconciliationReport.Check;
import dev.tally.projection.reconciliation.ReconciliationReport.Outcome;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The read side proving itself, continuously: independent projections of the same log must agree.
 * Each check compares only accounts that both projections have brought to the same version, so a
 * projection that is merely behind is never reported as wrong. All checks read one snapshot
 * (REPEATABLE READ).
 */
@ApplicationScoped
public class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class);
    private static final int SHOWN = 20;

    private static final String BALANCE_EQUALS_ENTRIES = """
            select a.account_id || ': balance ' || a.balance_minor || ', entries sum to ' || coalesce(e.total, 0)
            from accounts a
            join projection_account_positions pa on pa.projection = 'accounts' and pa.account_id = a.account_id
            join projection_account_positions ps on ps.projection = 'statements' and ps.account_id = a.account_id
                 and ps.version = pa.version
            left join (select account_id, sum(amount_minor) as total from entries group by account_id) e
                 on e.account_id = a.account_id
            where a.balance_minor <> coalesce(e.total, 0)
            order by a.account_id limit %d""".formatted(SHOWN);

    private static final String VERSION_EQUALS_EVENT_COUNT = """
            select a.account_id || ': version ' || a.version || ', ' || coalesce(h.events, 0) || ' events in its history'
            from accounts a
            join projection_account_positions pa on pa.projection = 'accounts' and pa.account_id = a.account_id
            join projection_account_positions ph on ph.projection = 'account-history' and ph.account_id = a.account_id
                 and ph.version = pa.version
            left join (select account_id, count(*) as events from account_history group by account_id) h
                 on h.account_id = a.account_id
            where a.version <> coalesce(h.events, 0)
            order by a.account_id limit %d""".formatted(SHOWN);

    /** Projections disagree on some account's version: the ledger-wide sum would compare different moments. */
    private static final String PROJECTIONS_APART = """
            select count(*) from projection_account_positions pa
            join projection_account_positions po on po.account_id = pa.account_id
                 and po.projection in ('statements', 'transfers') and po.version <> pa.version
            where pa.projection = 'accounts'""";

    private static final String LEDGER_TOTAL = """
            with balances as (select currency, sum(balance_minor) as total from accounts group by currency),
                 moved as (select currency,
                                  sum(case when type = 'DEPOSIT' then amount_minor else 0 end) as deposits,
                                  -sum(case when type = 'WITHDRAWAL' then amount_minor else 0 end) as withdrawals
                           from entries group by currency),
                 flight as (select currency, sum(amount_minor) as total from transfers
                            where status = 'PENDING' group by currency)
            select b.currency || ': balances ' || b.total || ' but deposits ' || coalesce(m.deposits, 0)
                   || ' - withdrawals ' || coalesce(m.withdrawals, 0) || ' - in flight ' || coalesce(f.total, 0)
            from balances b left join moved m on m.currency = b.currency left join flight f on f.currency = b.currency
            where b.total <> coalesce(m.deposits, 0) - coalesce(m.withdrawals, 0) - coalesce(f.total, 0)""";

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
                List<Check> checks = new ArrayList<>();
                checks.add(check(connection, "balance-equals-entries",
                        "each account's balance equals the sum of its statement lines", BALANCE_EQUALS_ENTRIES));
                checks.add(check(connection, "version-equals-event-count",
                        "each account's version equals the number of its events", VERSION_EQUALS_EVENT_COUNT));
                String ledger = "sum of balances = deposits - withdrawals - money in flight, per currency";
                checks.add(count(connection, PROJECTIONS_APART) == 0
                        ? check(connection, "ledger-total", ledger, LEDGER_TOTAL)
                        : new Check("ledger-total", ledger, Outcome.SKIPPED, List.of()));
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

    private static Check check(Connection connection, String name, String description, String sql) throws SQLException {
        List<String> offenders = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                offenders.add(rows.getString(1));
            }
        }
        return new Check(name, description, offenders.isEmpty() ? Outcome.OK : Outcome.MISMATCH, offenders);
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
