package dev.tally.projection.rebuild;

import dev.tally.schemas.KafkaConnection;

import dev.tally.projection.runner.BatchWriter;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.runner.ProjectionRunner;
import dev.tally.schemas.Topics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * A blue-green rebuild of one projection. It replays the events topic from offset 0 into fresh
 * copies of the projection's tables in a schema of their own, while the live tables keep serving.
 * Once it has nearly caught up it pauses the live runner, drains to the end, and in one database
 * transaction drops the live tables, moves the fresh ones in, and replaces the projection's
 * checkpoints and positions; then the live runner goes on from the new checkpoints. Readers see the
 * old tables or the new ones, never a mix.
 */
final class RebuildRun implements Runnable {

    private static final Logger LOG = Logger.getLogger(RebuildRun.class);
    private static final String TOPIC = Topics.LEDGER_EVENTS.name();
    private static final int ATTEMPTS = 8; // 0.5 s doubling: about two minutes of trying
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    private final Projection projection;
    private final ProjectionRunner live;
    private final DataSource dataSource;
    private final Map<String, Object> consumerConfig;
    private final String schema;
    private final int catchUpThreshold;
    // Microseconds: what PostgreSQL keeps, so every instance shows the same instant.
    private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private final RebuildRecords.Lease lease;
    private final Consumer<RebuildProgress> publish;
    private volatile String status = "PREPARING";
    private volatile long applied;
    private volatile long position;
    private volatile long lag = -1;
    private volatile double eventsPerSecond;
    private volatile Instant finishedAt;
    private volatile String error;

    RebuildRun(Projection projection, ProjectionRunner live, DataSource dataSource, Map<String, Object> kafkaConnection,
               int maxPollRecords) {
        this(projection, live, dataSource, kafkaConnection, maxPollRecords, null, progress -> { });
    }

    /**
     * @param lease   the right to rebuild this projection, given back when the run has ended and said
     *                so (null: the caller makes sure no other rebuild of it runs)
     * @param publish where the progress goes besides {@link #progress()}: at the start, about once a
     *                second, and the outcome last, so that other instances see it
     */
    RebuildRun(Projection projection, ProjectionRunner live, DataSource dataSource, Map<String, Object> kafkaConnection,
               int maxPollRecords, RebuildRecords.Lease lease, Consumer<RebuildProgress> publish) {
        this.lease = lease;
        this.publish = publish;
        this.projection = projection;
        this.live = live;
        this.dataSource = dataSource;
        this.schema = "rebuild_" + projection.name().replace('-', '_');
        this.catchUpThreshold = maxPollRecords;
        this.consumerConfig = KafkaConnection.client(kafkaConnection, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.CLIENT_ID_CONFIG, "tally-rebuild-" + projection.name()));
    }

    RebuildProgress progress() {
        Double eta = eventsPerSecond > 0 && lag >= 0 ? lag / eventsPerSecond : null;
        return new RebuildProgress(projection.name(), status, applied, position, lag,
                Math.round(eventsPerSecond * 10) / 10.0, eta, startedAt, finishedAt, error);
    }

    boolean isRunning() {
        return RebuildProgress.isRunning(status);
    }

    @Override
    public void run() {
        boolean livePaused = false;
        String outcome = "FAILED"; // until the swap is done
        publish.accept(progress());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            prepareFreshTables();
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            BatchWriter writer = new BatchWriter(projection, dataSource, schema);
            status = "REPLAYING";
            publish.accept(progress());
            long rateStart = System.nanoTime();
            long rateCount = 0;
            Map<TopicPartition, Long> target = null;
            Map<Integer, Long> written = new HashMap<>(); // the fresh copy's checkpoints, for the fence
            while (true) {
                if (target == null) {
                    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                    lag = behind(consumer, partitions, end);
                    if (lag <= catchUpThreshold) {
                        status = "SWAPPING";
                        publish.accept(progress());
                        live.pause().get(30, TimeUnit.SECONDS);
                        livePaused = true;
                        // The end as of now: what comes later, the live runner applies after the swap.
                        target = consumer.endOffsets(partitions);
                    }
                } else {
                    lag = behind(consumer, partitions, target);
                    if (lag == 0) {
                        break;
                    }
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
                Map<Integer, Long> nextOffsets = new HashMap<>();
                records.forEach(r -> {
                    batch.add(r);
                    nextOffsets.put(r.partition(), r.offset() + 1);
                });
                writeRetrying(writer, batch, written, nextOffsets);
                written.putAll(nextOffsets);
                applied += batch.size();
                rateCount += batch.size();
                position = partitions.stream().mapToLong(consumer::position).sum();
                double seconds = (System.nanoTime() - rateStart) / 1e9;
                if (seconds >= 1) {
                    eventsPerSecond = rateCount / seconds;
                    rateStart = System.nanoTime();
                    rateCount = 0;
                    publish.accept(progress());
                }
            }
            swap(partitions.stream().map(TopicPartition::partition).toList());
            // The whole rebuild's average, so that a short one does not report the rate of its last second.
            eventsPerSecond = applied * 1000.0 / Math.max(1, java.time.Duration.between(startedAt, Instant.now()).toMillis());
            outcome = "DONE";
            LOG.infof("Rebuilt projection %s from %d events", projection.name(), applied);
        } catch (Throwable e) { // an Error too: a rebuild must end FAILED with its reason, never stay "running"
            LOG.errorf(e, "Rebuild of %s failed; the live tables were left as they were", projection.name());
            error = BatchWriter.describe(e); // the causes too: "cannot write" alone does not say why
            dropFreshTablesQuietly();
        } finally {
            if (livePaused) {
                live.resume();
            }
            lag = "DONE".equals(outcome) ? 0 : lag;
            finishedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            // Last: whoever sees the final status sees its finish time, lag and error with it.
            status = outcome;
            publish.accept(progress());
            if (lease != null) {
                lease.close(); // only now: the outcome is written, so nobody takes this run for a dead one
            }
        }
    }

    /**
     * Poison events park in the fresh copy, as they would live. A transient failure (the database
     * away) is retried with a doubling backoff, logged and shown in the progress, before the rebuild
     * gives up; the batch is still in memory, so nothing is re-read.
     */
    private void writeRetrying(BatchWriter writer, List<ConsumerRecord<String, byte[]>> batch,
                               Map<Integer, Long> written, Map<Integer, Long> nextOffsets) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                writer.writeOrPark(batch, new HashMap<>(written), nextOffsets);
                error = null;
                return;
            } catch (RuntimeException failure) {
                if (!BatchWriter.isTransient(failure) || attempt == ATTEMPTS) {
                    throw failure;
                }
                error = "attempt %d of %d failed, retrying in %d ms: %s".formatted(attempt, ATTEMPTS, backoff.toMillis(),
                        BatchWriter.describe(failure));
                LOG.warnf("Rebuild of %s: %s", projection.name(), error);
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private static long behind(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
                               Map<TopicPartition, Long> end) {
        return partitions.stream().mapToLong(p -> Math.max(0, end.get(p) - consumer.position(p))).sum();
    }

    private void prepareFreshTables() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("drop schema if exists " + schema + " cascade");
            sql.execute("create schema " + schema);
            for (String table : tablesWithBookkeeping()) {
                sql.execute("create table %s.%s (like public.%s including all)".formatted(schema, table, table));
            }
            // An operator's decision to skip an event holds for the replay too.
            try (PreparedStatement seed = connection.prepareStatement("insert into " + schema
                    + ".dead_letters select * from public.dead_letters where projection = ? and status = 'SKIPPED'")) {
                seed.setString(1, projection.name());
                seed.executeUpdate();
            }
        }
    }

    private void swap(List<Integer> partitions) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                // Live writers of other instances wait at their fence until the swap commits, then
                // find the swapped-in checkpoints and read again from there.
                BatchWriter.lockLivePartitions(connection, projection.name(), partitions);
                sql.execute("lock table " + String.join(", ", projection.tables().stream().map(t -> "public." + t)
                        .toList()) + " in access exclusive mode");
                for (String table : projection.tables()) {
                    sql.execute("drop table public." + table);
                    sql.execute("alter table %s.%s set schema public".formatted(schema, table));
                }
                for (String table : List.of("projection_checkpoints", "projection_account_positions", "dead_letters")) {
                    try (PreparedStatement delete = connection.prepareStatement(
                            "delete from public." + table + " where projection = ?");
                         PreparedStatement copy = connection.prepareStatement(
                                 "insert into public.%s select * from %s.%s where projection = ?"
                                         .formatted(table, schema, table))) {
                        delete.setString(1, projection.name());
                        delete.executeUpdate();
                        copy.setString(1, projection.name());
                        copy.executeUpdate();
                    }
                }
                sql.execute("drop schema " + schema + " cascade");
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private void dropFreshTablesQuietly() {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            LOG.warnf("Could not drop %s: %s", schema, e.getMessage());
        }
    }

    private List<String> tablesWithBookkeeping() {
        List<String> tables = new ArrayList<>(projection.tables());
        tables.add("projection_checkpoints");
        tables.add("projection_account_positions");
        tables.add("dead_letters");
        return tables;
    }
}
