package dev.tally.query.consistency;

import dev.tally.schemas.ConsistencyToken;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Read-your-writes without a thread per waiting request. Requests that carry a consistency token
 * park a future here; one ticker thread asks the database, in a single query for all of them, how
 * far each projection has got for the accounts they wait on, and completes the futures whose
 * versions are reached (true) or whose wait ran out (false).
 */
@ApplicationScoped
public class ConsistencyTokenWaiter {

    private static final Logger LOG = Logger.getLogger(ConsistencyTokenWaiter.class);

    private final AgroalDataSource dataSource;
    private final Duration tick;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private ScheduledExecutorService ticker;

    ConsistencyTokenWaiter(AgroalDataSource dataSource,
                           @ConfigProperty(name = "tally.consistency.poll-interval", defaultValue = "10ms") Duration tick) {
        this.dataSource = dataSource;
        this.tick = tick;
    }

    void start(@Observes StartupEvent startup) {
        ticker = Executors.newSingleThreadScheduledExecutor(runnable ->
                Thread.ofPlatform().name("consistency-token-waiter").daemon().unstarted(runnable));
        ticker.scheduleWithFixedDelay(this::checkAll, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        ticker.shutdownNow();
    }

    /** Completes with true once {@code projection} includes the token's writes, false after {@code wait}. */
    public CompletionStage<Boolean> await(String projection, ConsistencyToken token, Duration wait) {
        Waiter waiter = new Waiter(projection, token.minimumVersions(), System.nanoTime() + wait.toNanos(),
                new CompletableFuture<>());
        waiters.add(waiter);
        return waiter.done;
    }

    private void checkAll() {
        if (waiters.isEmpty()) {
            return;
        }
        Set<String> projections = new HashSet<>();
        Set<String> accounts = new HashSet<>();
        waiters.forEach(waiter -> {
            projections.add(waiter.projection);
            accounts.addAll(waiter.versions.keySet());
        });
        Map<String, Long> reached;
        try {
            reached = positions(projections, accounts);
        } catch (SQLException e) {
            LOG.warnf("Cannot check projection progress: %s", e.getMessage());
            reached = Map.of();
        }
        long now = System.nanoTime();
        for (Waiter waiter : waiters) {
            if (waiter.isReachedBy(reached)) {
                waiters.remove(waiter);
                waiter.done.complete(true);
            } else if (now - waiter.deadlineNanos >= 0) {
                waiters.remove(waiter);
                waiter.done.complete(false);
            }
        }
    }

    /** Each (projection, account) position the waiting requests care about, in one query. */
    private Map<String, Long> positions(Set<String> projections, Set<String> accounts) throws SQLException {
        Map<String, Long> positions = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select projection, account_id, version from projection_account_positions "
                             + "where projection = any(?) and account_id = any(?)")) {
            select.setArray(1, connection.createArrayOf("text", projections.toArray()));
            select.setArray(2, connection.createArrayOf("text", accounts.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    positions.put(key(rows.getString(1), rows.getString(2)), rows.getLong(3));
                }
            }
        }
        return positions;
    }

    private static String key(String projection, String accountId) {
        return projection + '\u0000' + accountId;
    }

    private record Waiter(String projection, Map<String, Long> versions, long deadlineNanos,
                          CompletableFuture<Boolean> done) {

        boolean isReachedBy(Map<String, Long> reached) {
            return versions.entrySet().stream().allMatch(wanted ->
                    reached.getOrDefault(key(projection, wanted.getKey()), 0L) >= wanted.getValue());
        }
    }
}
