package dev.tally.projection.runner;

import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.Topics;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One batch of events into one projection, as one database transaction: the rows, the per-account
 * positions and the partition checkpoints commit together or not at all. The same writer feeds the
 * live tables and, during a rebuild, a fresh copy of them in another PostgreSQL schema: only the
 * transaction's {@code search_path} differs.
 */
public final class BatchWriter {

    static final String TOPIC = Topics.LEDGER_EVENTS.name();

    private final Projection projection;
    private final DataSource dataSource;
    private final String schema;
    private final LedgerEventDeserializer events = new LedgerEventDeserializer();

    /** @param schema the PostgreSQL schema holding the tables, or null for the live ones */
    public BatchWriter(Projection projection, DataSource dataSource, String schema) {
        this.projection = projection;
        this.dataSource = dataSource;
        this.schema = schema;
    }

    public Projection projection() {
        return projection;
    }

    public void write(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> nextOffsets) {
        List<SpecificRecord> batch = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            batch.add(events.deserialize(record.topic(), record.headers(), record.value()));
        }
        try (Connection transaction = dataSource.getConnection()) {
            transaction.setAutoCommit(false);
            try {
                scope(transaction);
                AccountPositions.Admitted admitted = AccountPositions.admit(transaction, projection.name(), batch);
                projection.apply(transaction, admitted.events());
                AccountPositions.save(transaction, projection.name(), admitted.positions());
                CheckpointStore.save(transaction, projection.name(), TOPIC, nextOffsets);
                transaction.commit();
            } catch (SQLException | RuntimeException e) {
                transaction.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot write projection " + projection.name(), e);
        }
    }

    public Map<Integer, Long> checkpoints() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                scope(connection);
                return CheckpointStore.load(connection, projection.name(), TOPIC);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the checkpoints of " + projection.name(), e);
        }
    }

    /** SET LOCAL: the pooled connection goes back to the pool with its usual search_path. */
    private void scope(Connection transaction) throws SQLException {
        if (schema != null) {
            try (Statement set = transaction.createStatement()) {
                set.execute("set local search_path to " + schema);
            }
        }
    }
}
