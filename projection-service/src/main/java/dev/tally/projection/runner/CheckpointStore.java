package dev.tally.projection.runner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The next offset to read, per projection and partition, in PostgreSQL. Saved in the same
 * transaction as the rows it accounts for, so after any crash the rows and the position agree.
 */
final class CheckpointStore {

    private CheckpointStore() {
    }

    static Map<Integer, Long> load(Connection connection, String projection, String topic) throws SQLException {
        Map<Integer, Long> offsets = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select partition, next_offset from projection_checkpoints where projection = ? and topic = ?")) {
            select.setString(1, projection);
            select.setString(2, topic);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    offsets.put(rows.getInt(1), rows.getLong(2));
                }
            }
        }
        return offsets;
    }

    static void save(Connection transaction, String projection, String topic, Map<Integer, Long> nextOffsets)
            throws SQLException {
        try (PreparedStatement upsert = transaction.prepareStatement("""
                insert into projection_checkpoints (projection, topic, partition, next_offset, updated_at)
                values (?, ?, ?, ?, ?)
                on conflict (projection, topic, partition)
                do update set next_offset = excluded.next_offset, updated_at = excluded.updated_at
                -- never backwards: a zombie instance finishing an old batch after a rebalance must not rewind
                where projection_checkpoints.next_offset <= excluded.next_offset""")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (Map.Entry<Integer, Long> entry : nextOffsets.entrySet()) {
                upsert.setString(1, projection);
                upsert.setString(2, topic);
                upsert.setInt(3, entry.getKey());
                upsert.setLong(4, entry.getValue());
                upsert.setTimestamp(5, now);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }
}
