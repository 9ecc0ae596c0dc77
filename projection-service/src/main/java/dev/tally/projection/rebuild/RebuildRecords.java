package dev.tally.projection.rebuild;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Rebuilds across projection-service instances, kept in PostgreSQL, which every instance shares.
 *
 * <p>The right to rebuild a projection is a session advisory lock on a connection of its own, held
 * from before the fresh tables are made until the outcome is written: a second instance asked to
 * rebuild the same projection does not get it (409), instead of dropping the first one's fresh
 * tables. The lock ends with its connection, so an instance killed mid-rebuild frees it at once.
 *
 * <p>Progress goes to {@code projection_rebuilds}, so {@code GET /projections} answers the same on
 * every instance. A row that says running while nobody holds the lock was left by an instance that
 * died: it is shown FAILED with that reason, and a new rebuild may start.
 */
public final class RebuildRecords {

    private static final Logger LOG = Logger.getLogger(RebuildRecords.class);
    private static final String LOCK = "select pg_try_advisory_lock(hashtext(?), 0)";

    private final DataSource dataSource;
    private final String instance;

    public RebuildRecords(DataSource dataSource, String instance) {
        this.dataSource = dataSource;
        this.instance = instance;
    }

    /** The right to rebuild one projection, until closed (or until this process dies). */
    public static final class Lease implements AutoCloseable {
        private final Connection connection;
        private final String projection;

        private Lease(Connection connection, String projection) {
            this.connection = connection;
            this.projection = projection;
        }

        @Override
        public void close() {
            try (connection) {
                try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(hashtext(?), 0)")) {
                    unlock.setString(1, key(projection));
                    unlock.executeQuery().close();
                }
            } catch (SQLException e) {
                // Closing the connection ends its session, and the lock with it.
                LOG.warnf("Releasing the rebuild lease of %s: %s", projection, e.getMessage());
            }
        }
    }

    /** The lease, or empty when another rebuild of that projection runs (here or on another instance). */
    public Optional<Lease> lease(String projection) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            if (tryLock(connection, projection)) {
                return Optional.of(new Lease(connection, projection));
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("Cannot take the rebuild lease of " + projection, e);
        }
    }

    /** Writes a rebuild's progress as the latest of its projection. Losing an update only delays the view. */
    public void save(RebuildProgress progress) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     insert into projection_rebuilds (projection, instance, status, applied, position, lag,
                         events_per_second, started_at, finished_at, error, updated_at)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                     on conflict (projection) do update set instance = excluded.instance, status = excluded.status,
                         applied = excluded.applied, position = excluded.position, lag = excluded.lag,
                         events_per_second = excluded.events_per_second, started_at = excluded.started_at,
                         finished_at = excluded.finished_at, error = excluded.error, updated_at = now()""")) {
            connection.setAutoCommit(true);
            upsert.setString(1, progress.projection());
            upsert.setString(2, instance);
            upsert.setString(3, progress.status());
            upsert.setLong(4, progress.applied());
            upsert.setLong(5, progress.position());
            upsert.setLong(6, progress.lag());
            upsert.setDouble(7, progress.eventsPerSecond());
            upsert.setTimestamp(8, Timestamp.from(progress.startedAt()));
            upsert.setTimestamp(9, progress.finishedAt() == null ? null : Timestamp.from(progress.finishedAt()));
            upsert.setString(10, progress.error());
            upsert.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("Could not record the progress of the rebuild of %s: %s", progress.projection(), e.getMessage());
        }
    }

    /** The latest rebuild of each projection that has had one, whichever instance ran it. */
    public List<RebuildProgress> latest() throws SQLException {
        List<RebuildProgress> all = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select * from projection_rebuilds order by projection");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                all.add(read(connection, rows));
            }
        }
        return all;
    }

    public Optional<RebuildProgress> latest(String projection) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select * from projection_rebuilds where projection = ?")) {
            select.setString(1, projection);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(connection, rows)) : Optional.empty();
            }
        }
    }

    private static RebuildProgress read(Connection connection, ResultSet row) throws SQLException {
        String projection = row.getString("projection");
        String status = row.getString("status");
        String error = row.getString("error");
        Timestamp finished = row.getTimestamp("finished_at");
        Instant finishedAt = finished == null ? null : finished.toInstant();
        if (RebuildProgress.isRunning(status) && !heldByAnyone(connection, projection)) {
            // Its instance wrote "running" and then died without a word: nobody holds the lease.
            status = "FAILED";
            error = "the instance that ran it (" + row.getString("instance") + ") stopped before it finished";
            finishedAt = row.getTimestamp("updated_at").toInstant();
        }
        double rate = row.getDouble("events_per_second");
        long lag = row.getLong("lag");
        Double eta = rate > 0 && lag >= 0 && RebuildProgress.isRunning(status) ? lag / rate : null;
        return new RebuildProgress(projection, status, row.getLong("applied"), row.getLong("position"), lag, rate, eta,
                row.getTimestamp("started_at").toInstant(), finishedAt, error);
    }

    /** Whether a rebuild lease of the projection is held, by anyone: taken and at once given back if free. */
    private static boolean heldByAnyone(Connection connection, String projection) throws SQLException {
        if (!tryLock(connection, projection)) {
            return true;
        }
        try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(hashtext(?), 0)")) {
            unlock.setString(1, key(projection));
            unlock.executeQuery().close();
        }
        return false;
    }

    private static boolean tryLock(Connection connection, String projection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setString(1, key(projection));
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private static String key(String projection) {
        return "tally-rebuild/" + projection;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing; the first failure is the one reported
            }
        }
    }
}
