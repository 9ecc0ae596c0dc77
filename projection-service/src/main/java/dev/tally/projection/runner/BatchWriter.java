package dev.tally.projection.runner;

import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.Topics;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One batch of events into one projection, as one database transaction: the rows, the per-account
 * positions and the partition checkpoints commit together or not at all. The same writer feeds the
 * live tables and, during a rebuild, a fresh copy of them in another PostgreSQL schema: only the
 * transaction's {@code search_path} differs.
 */
public final class BatchWriter implements EventSink {

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

    @Override
    public String name() {
        return projection.name();
    }

    @Override
    public String consumerGroup() {
        return "tally-projection-" + projection.name();
    }

    /**
     * Applies the batch in one transaction. Events of accounts that already have a parked event are
     * parked behind it instead. Throws if any event cannot be applied; see {@link #writeOneByOne}.
     *
     * @param from        per partition of the batch, the checkpoint this writer last read or wrote
     *                    (absent: none); if the stored one differs, nothing is written
     *                    ({@link CheckpointStore.CheckpointMoved})
     * @param nextOffsets per partition, the checkpoint after the batch
     */
    public void write(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> from, Map<Integer, Long> nextOffsets) {
        try (Connection transaction = dataSource.getConnection()) {
            transaction.setAutoCommit(false);
            try {
                scope(transaction);
                CheckpointStore.claim(transaction, scopeName(), projection.name(), TOPIC, from, nextOffsets.keySet());
                DeadLetters.holdParkingShared(transaction, projection.name());
                Set<String> blocked = DeadLetters.blockedAccounts(transaction, projection.name());
                Set<String> skipped = DeadLetters.skippedOffsets(transaction, projection.name(), TOPIC);
                List<SpecificRecord> batch = new ArrayList<>(records.size());
                Set<SpecificRecord> passOver = new java.util.HashSet<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (skipped.contains(record.partition() + "@" + record.offset())) {
                        readable(record).ifPresent(event -> {
                            batch.add(event); // still counts for the account's position, as the skip did
                            passOver.add(event);
                        });
                    } else if (blocked.contains(record.key())) {
                        DeadLetters.park(transaction, projection.name(), record,
                                "waits behind an earlier parked event of account " + record.key());
                    } else {
                        batch.add(read(record));
                    }
                }
                AccountPositions.Admitted admitted = AccountPositions.admit(transaction, projection.name(), batch);
                projection.apply(transaction, admitted.events().stream()
                        .filter(e -> !passOver.contains(e.event())).toList());
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

    /** Every event is read through here: its text made storable ({@link StorableText}) for every projection. */
    private SpecificRecord read(ConsumerRecord<String, byte[]> record) {
        return StorableText.event(events.deserialize(record.topic(), record.headers(), record.value()));
    }

    private java.util.Optional<SpecificRecord> readable(ConsumerRecord<String, byte[]> record) {
        try {
            return java.util.Optional.of(read(record));
        } catch (RuntimeException unreadable) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The fast path first; if the batch holds an event that cannot be applied, event by event,
     * parking it. Returns how many events were parked. Transient failures and a moved checkpoint
     * are thrown: they say nothing about the events.
     */
    @Override
    public int writeOrPark(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> from,
                           Map<Integer, Long> nextOffsets) {
        try {
            write(records, from, nextOffsets);
            return 0;
        } catch (RuntimeException failure) {
            if (notTheEventsFault(failure)) {
                throw failure;
            }
            return writeOneByOne(records, from);
        }
    }

    /**
     * The slow path after a batch failed: every event in its own transaction, so that the one that
     * cannot be applied is parked with its error and the others go through. Transient failures
     * (database away) and a moved checkpoint are thrown, not parked.
     */
    int writeOneByOne(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> from) {
        Map<Integer, Long> position = new HashMap<>(from);
        int parked = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            Map<Integer, Long> one = position.containsKey(record.partition())
                    ? Map.of(record.partition(), position.get(record.partition())) : Map.of();
            Map<Integer, Long> next = Map.of(record.partition(), record.offset() + 1);
            try {
                write(List.of(record), one, next);
            } catch (RuntimeException failure) {
                if (notTheEventsFault(failure)) {
                    throw failure;
                }
                parkAlone(record, one, next, failure);
                parked++;
            }
            position.putAll(next);
        }
        return parked;
    }

    public static boolean notTheEventsFault(Throwable failure) {
        return isTransient(failure) || failure instanceof CheckpointStore.CheckpointMoved;
    }

    private void parkAlone(ConsumerRecord<String, byte[]> record, Map<Integer, Long> from, Map<Integer, Long> next,
                           RuntimeException failure) {
        try (Connection transaction = dataSource.getConnection()) {
            transaction.setAutoCommit(false);
            try {
                scope(transaction);
                CheckpointStore.claim(transaction, scopeName(), projection.name(), TOPIC, from, next.keySet());
                DeadLetters.park(transaction, projection.name(), record, DeadLetters.describe(failure));
                CheckpointStore.save(transaction, projection.name(), TOPIC, next);
                transaction.commit();
            } catch (SQLException | RuntimeException e) {
                transaction.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot park an event of projection " + projection.name(), e);
        }
    }

    /**
     * Applies one parked event (a retry) and marks it RETRIED, in one transaction. The account's
     * later parked events stay parked: retry them in order ({@link DeadLetters#retryAccount}).
     */
    public void applyParked(long deadLetterId, byte[] payload) {
        inTransaction(transaction -> {
            DeadLetters.holdParkingExclusive(transaction, projection.name());
            SpecificRecord event = StorableText.event(events.deserialize(TOPIC, payload));
            AccountPositions.Admitted admitted = AccountPositions.admit(transaction, projection.name(), List.of(event));
            projection.apply(transaction, admitted.events());
            AccountPositions.save(transaction, projection.name(), admitted.positions());
            resolve(transaction, deadLetterId, "RETRIED");
        });
    }

    /**
     * Gives up on one parked event. If it is a readable ledger event, the account's position moves
     * past it, so that the account's next events are not refused as a gap.
     */
    public void skipParked(long deadLetterId, byte[] payload) {
        inTransaction(transaction -> {
            DeadLetters.holdParkingExclusive(transaction, projection.name());
            resolve(transaction, deadLetterId, "SKIPPED");
            SpecificRecord event;
            try {
                event = events.deserialize(TOPIC, payload);
            } catch (RuntimeException unreadable) {
                return; // not a ledger event at all: nothing to step over
            }
            dev.tally.events.EventMeta meta = (dev.tally.events.EventMeta) event.get(0);
            AccountPositions.Position position = AccountPositions.load(transaction, projection.name(),
                    List.of(meta.getAccountId())).get(meta.getAccountId());
            if (position != null && position.version() + 1 == meta.getSequence()) {
                AccountPositions.save(transaction, projection.name(), Map.of(meta.getAccountId(),
                        new AccountPositions.Position(meta.getSequence(), position.currency(), position.scale())));
            }
        });
    }

    /** Records why a retry failed again. */
    public void noteFailure(long deadLetterId, String error) {
        inTransaction(transaction -> {
            try (var update = transaction.prepareStatement("update dead_letters set error = ? where id = ?")) {
                update.setString(1, StorableText.of(error));
                update.setLong(2, deadLetterId);
                update.executeUpdate();
            }
        });
    }

    private static void resolve(Connection transaction, long id, String status) throws SQLException {
        try (var update = transaction.prepareStatement(
                "update dead_letters set status = ?, resolved_at = now() where id = ? and status = 'PARKED'")) {
            update.setString(1, status);
            update.setLong(2, id);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("Dead letter " + id + " is not parked");
            }
        }
    }

    private void inTransaction(Transactions.Work work) {
        Transactions.run(dataSource, "projection " + projection.name(), transaction -> {
            scope(transaction);
            work.run(transaction);
        });
    }

    public static boolean isTransient(Throwable failure) {
        return DeadLetters.isTransient(failure);
    }

    /** A failure with its causes, down to the database's own message: what an operator needs to see. */
    public static String describe(Throwable failure) {
        return DeadLetters.describe(failure);
    }

    @Override
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

    private String scopeName() {
        return schema == null ? "public" : schema;
    }

    /**
     * Takes the fence's locks of every given partition of the live tables, in the caller's
     * transaction: a rebuild's swap holds them, so no live writer (of any instance) is between its
     * check and its commit while the tables and checkpoints are replaced; each finds the swapped-in
     * checkpoint afterwards and re-reads from there.
     */
    public static void lockLivePartitions(Connection transaction, String projection, List<Integer> partitions)
            throws SQLException {
        CheckpointStore.lock(transaction, "public", projection, partitions);
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
