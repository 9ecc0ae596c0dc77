package dev.tally.projection.runner;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** The parking lot of events a projection could not apply. */
public final class DeadLetters {

    private DeadLetters() {
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
