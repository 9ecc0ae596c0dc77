package dev.tally.projection.runner;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** The parking lot of events a projection could not apply. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * A live batch decides "park behind" from the parked rows it reads, and a retry ends an account's
     * parking by resolving them; without a lock, a batch that read "blocked" before a retry's last
     * commit parks a later event after the retry looked, and that event stays parked for good. So
     * every batch holds this lock shared (batches never wait for each other) from that read to its
     * commit, and each retry step holds it exclusive; {@link #retryAccount} then looks again after
     * its last step and finds what such a batch parked. Per projection, across instances (PostgreSQL
     * advisory lock, released at commit).
     */
    static void holdParkingShared(Connection transaction, String projection) throws SQLException {
        advisoryLock(transaction, "pg_advisory_xact_lock_shared", projection);
    }

    static void holdParkingExclusive(Connection transaction, String projection) throws SQLException {
        advisoryLock(transaction, "pg_advisory_xact_lock", projection);
    }

    private static void advisoryLock(Connection transaction, String function, String projection) throws SQLException {
        try (PreparedStatement lock = transaction.prepareStatement("select " + function + "(hashtext(?), 0)")) {
            lock.setString(1, "tally-dead-letters/" + projection);
            lock.execute();
        }
    }

    /**
     * Re-applies an account's parked events in log order, each in its own transaction, until none is
     * left or one fails again (its error is then recorded and it and the later ones stay parked).
     * Looks again after each pass: a live batch may have parked a later event behind the ones it saw.
     */
    public static void retryAccount(DataSource dataSource, BatchWriter writer, String accountId) throws SQLException {
        while (true) {
            List<Map.Entry<Long, byte[]>> parked = parkedOf(dataSource, writer.name(), accountId);
            if (parked.isEmpty()) {
                return;
            }
            for (Map.Entry<Long, byte[]> letter : parked) {
                try {
                    writer.applyParked(letter.getKey(), letter.getValue());
                } catch (RuntimeException stillFailing) {
                    writer.noteFailure(letter.getKey(), stillFailing.toString());
                    return;
                }
            }
        }
    }

    private static List<Map.Entry<Long, byte[]>> parkedOf(DataSource dataSource, String projection, String accountId)
            throws SQLException {
        List<Map.Entry<Long, byte[]>> parked = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select id, payload from dead_letters
                     where projection = ? and account_id is not distinct from ? and status = 'PARKED'
                     order by partition, "offset"
                     """)) {
            select.setString(1, projection);
            select.setString(2, accountId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    parked.add(Map.entry(rows.getLong(1), rows.getBytes(2)));
                }
            }
        }
        return parked;
    }

    /** Accounts with a parked event: their later events must park too, or the account's order breaks. */
    static Set<String> blockedAccounts(Connection connection, String projection) throws SQLException {
        Set<String> blocked = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select distinct account_id from dead_letters where projection = ? and status = 'PARKED'")) {
            select.setString(1, projection);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    blocked.add(rows.getString(1));
                }
            }
        }
        return blocked;
    }

    /** Offsets an operator decided to skip: they are passed over, in live processing and in every rebuild. */
    static Set<String> skippedOffsets(Connection connection, String projection, String topic) throws SQLException {
        Set<String> skipped = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select partition, \"offset\" from dead_letters where projection = ? and topic = ? and status = 'SKIPPED'")) {
            select.setString(1, projection);
            select.setString(2, topic);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    skipped.add(rows.getInt(1) + "@" + rows.getLong(2));
                }
            }
        }
        return skipped;
    }

    static void park(Connection transaction, String projection, ConsumerRecord<String, byte[]> record, String error)
            throws SQLException {
        try (PreparedStatement insert = transaction.prepareStatement("""
                insert into dead_letters (projection, topic, partition, "offset", account_id, event_type, error,
                                          payload, status, parked_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, 'PARKED', ?)
                on conflict (projection, topic, partition, "offset") do nothing""")) {
            insert.setString(1, projection);
            insert.setString(2, record.topic());
            insert.setInt(3, record.partition());
            insert.setLong(4, record.offset());
            insert.setString(5, StorableText.of(record.key()));
            Header type = record.headers().lastHeader("tally.event-type");
            insert.setString(6, type == null ? null : new String(type.value(), StandardCharsets.UTF_8));
            insert.setString(7, StorableText.of(error)); // an error may quote the event's text
            insert.setBytes(8, record.value());
            insert.setTimestamp(9, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
    }

    /** The failure and its causes, one line: the wrapper alone ("Cannot write projection …") tells an operator nothing. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure));
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause);
        }
        return text.toString();
    }

    /**
     * Whether a failure says nothing about the event (the database is away, the connection broke):
     * then the batch is retried as it is. Anything else is the event's fault and parks it.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57")
                    || sql.getSQLState().startsWith("53") || sql.getSQLState().startsWith("40"))) {
                return true;
            }
        }
        return false;
    }
}
