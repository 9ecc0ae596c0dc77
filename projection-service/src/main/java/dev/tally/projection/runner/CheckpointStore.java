package dev.tally.projection.runner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The next offset to read, per projection and partition, in PostgreSQL. Saved in the same
 * transaction as the rows it accounts for, so after any crash the rows and the position agree.
 */
final class CheckpointStore {

    /**
     * The stored checkpoint is not where the batch starts: another writer (a second instance, a
     * rebuild's swap) has moved it since this one read it. The batch is not applied; the runner
     * seeks to the stored checkpoint and reads again.
     */
    public static final class CheckpointMoved extends IllegalStateException {
        CheckpointMoved(String message) {
            super(message);
        }
    }

    private CheckpointStore() {
    }

    /**
     * The fence, first thing in every batch transaction: takes a transaction-scoped advisory lock
     * per (tables, projection, partition), so no two writers (instances, threads) apply the same
     * partition at once, then checks that the stored checkpoint is still the one the batch starts
     * from ({@code from}; a partition missing from it is expected to have none). PostgreSQL, not
     * Kafka's group, is the judge: a paused instance coming back, or an old pod of a rolling update
     * still finishing a batch, aborts here instead of rewinding or double-applying. The check is on
     * the checkpoint, not on the first record's offset: transaction markers make Kafka offsets skip.
     *
     * @param scope the PostgreSQL schema of the tables ("public" for the live ones), so a rebuild's
     *              writer and the live one do not wait on each other
     */
    static void claim(Connection transaction, String scope, String projection, String topic,
                      Map<Integer, Long> from, java.util.Collection<Integer> partitions) throws SQLException {
        lock(transaction, scope, projection, partitions);
        Map<Integer, Long> stored = load(transaction, projection, topic);
        for (int partition : partitions) {
            if (!Objects.equals(stored.get(partition), from.get(partition))) {
                throw new CheckpointMoved("Projection %s, partition %d: the stored checkpoint is %s, the batch starts at %s"
                        .formatted(projection, partition, stored.get(partition), from.get(partition)));
            }
        }
    }

    /** The fence's lock of each partition, until the transaction ends; always in one order, so no deadlock. */
    static void lock(Connection transaction, String scope, String projection, java.util.Collection<Integer> partitions)
            throws SQLException {
        try (PreparedStatement lock = transaction.prepareStatement("select pg_advisory_xact_lock(hashtext(?), ?)")) {
            for (int partition : partitions.stream().sorted().toList()) {
                lock.setString(1, "tally-projection/" + scope + "/" + projection);
                lock.setInt(2, partition);
                lock.executeQuery().close();
            }
        }
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

    /** First checkpoints: where none is stored yet; an existing one (another instance's first) stays. */
    static void saveIfAbsent(Connection transaction, String projection, String topic, Map<Integer, Long> nextOffsets)
            throws SQLException {
        try (PreparedStatement insert = transaction.prepareStatement("""
                insert into projection_checkpoints (projection, topic, partition, next_offset, updated_at)
                values (?, ?, ?, ?, now())
                on conflict (projection, topic, partition) do nothing""")) {
            for (Map.Entry<Integer, Long> entry : nextOffsets.entrySet()) {
                insert.setString(1, projection);
                insert.setString(2, topic);
                insert.setInt(3, entry.getKey());
                insert.setLong(4, entry.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
