package dev.tally.projection.runner;

import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.Topics;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Feeds one projection from the events topic. Each poll becomes one database transaction holding
 * the batch's rows and the new checkpoint; the position to resume from is read back from
 * PostgreSQL on every assignment. Kafka's group offsets are committed too, after the database,
 * but only so that lag dashboards work: they are never read back.
 */
public final class ProjectionRunner implements Runnable {

    private static final Logger LOG = Logger.getLogger(ProjectionRunner.class);
    private static final String TOPIC = Topics.LEDGER_EVENTS.name();
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(2);

    private final Projection projection;
    private final DataSource dataSource;
    private final Map<String, Object> consumerConfig;
    private final ProjectionProgress progress;
    private final LedgerEventDeserializer events = new LedgerEventDeserializer();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean stopping;

    public ProjectionRunner(Projection projection, DataSource dataSource, String bootstrapServers, int maxPollRecords,
                            MeterRegistry metrics) {
        this.projection = projection;
        this.dataSource = dataSource;
        this.progress = new ProjectionProgress(projection.name(), metrics);
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "tally-projection-" + projection.name(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.CLIENT_ID_CONFIG, "tally-projection-" + projection.name());
    }

    public ProjectionProgress progress() {
        return progress;
    }

    @Override
    public void run() {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            consumer.subscribe(List.of(TOPIC), new ResumeFromCheckpoints());
            while (!stopping) {
                try {
                    pollOnce();
                } catch (WakeupException stop) {
                    return;
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Projection %s failed; retrying", projection.name());
                    progress.failed(e.toString());
                    sleep(RETRY_AFTER_FAILURE);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    public void stop() {
        stopping = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private void pollOnce() {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
            progress.idle();
        } else {
            apply(records);
        }
        consumer.assignment().forEach(partition ->
                consumer.currentLag(partition).ifPresent(lag -> progress.lag(partition.partition(), lag)));
    }

    private void apply(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        Map<Integer, Long> nextOffsets = new HashMap<>();
        Map<Integer, Long> lastTimestamps = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            firstOffsets.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
            nextOffsets.put(record.partition(), record.offset() + 1);
            lastTimestamps.put(record.partition(), record.timestamp());
        }
        try {
            write(decode(records), nextOffsets);
        } catch (RuntimeException e) {
            // The batch is not in the database: put the consumer back at its start so it is read again.
            firstOffsets.forEach(consumer::seek);
            throw e;
        }
        progress.applied(records.count(), nextOffsets);
        lastTimestamps.forEach(progress::appliedUpTo);
        Map<TopicPartition, OffsetAndMetadata> forDashboards = new HashMap<>();
        nextOffsets.forEach((partition, offset) ->
                forDashboards.put(new TopicPartition(TOPIC, partition), new OffsetAndMetadata(offset)));
        consumer.commitAsync(forDashboards, null);
    }

    private List<SpecificRecord> decode(ConsumerRecords<String, byte[]> records) {
        List<SpecificRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            batch.add(events.deserialize(record.topic(), record.headers(), record.value()));
        }
        return batch;
    }

    private void write(List<SpecificRecord> batch, Map<Integer, Long> nextOffsets) {
        try (Connection transaction = dataSource.getConnection()) {
            transaction.setAutoCommit(false);
            try {
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

    private void resumeFromCheckpoints(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> stored;
        try (Connection connection = dataSource.getConnection()) {
            stored = CheckpointStore.load(connection, projection.name(), TOPIC);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the checkpoints of " + projection.name(), e);
        }
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Long next = stored.get(partition.partition());
            if (next == null) {
                fresh.add(partition);
                progress.positioned(partition.partition(), 0);
            } else {
                consumer.seek(partition, next);
                progress.positioned(partition.partition(), next);
            }
        }
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On every assignment, the database says where to resume; Kafka's committed offsets are ignored. */
    private final class ResumeFromCheckpoints implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            resumeFromCheckpoints(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> progress.revoked(partition.partition()));
        }
    }
}
