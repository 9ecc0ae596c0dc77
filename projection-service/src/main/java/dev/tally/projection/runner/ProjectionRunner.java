package dev.tally.projection.runner;

import dev.tally.schemas.tracing.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

import dev.tally.schemas.KafkaConnection;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
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
 * Feeds one projection's live tables from the events topic. Each poll becomes one database
 * transaction ({@link BatchWriter}) holding the batch's rows and the new checkpoint; the position
 * to resume from is read back from PostgreSQL on every assignment. Kafka's group offsets are
 * committed too, after the database, but only so that lag dashboards work: they are never read back.
 */
public final class ProjectionRunner implements Runnable {

    private static final Logger LOG = Logger.getLogger(ProjectionRunner.class);
    private static final String TOPIC = BatchWriter.TOPIC;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MOST_BACKOFF = Duration.ofSeconds(30);

    private final TraceHeaders tracing;
    private final EventSink sink;
    private final Map<String, Object> consumerConfig;
    private final ProjectionProgress progress;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean stopping;
    private volatile Pause pause;
    // The runner thread's own view (the rebalance listener runs on it too): per assigned partition,
    // the checkpoint it last read from or wrote to PostgreSQL; the fence compares it with the stored one.
    private final Map<Integer, Long> checkpoints = new HashMap<>();
    private boolean positioned = true;
    private volatile int failuresInARow;

    /**
     * @param instanceId stable across restarts of this instance (pod name, host name): with Kafka's
     *                   static membership a restarted instance gets its partitions back at once,
     *                   instead of waiting for the dead member's session to time out
     */
    public ProjectionRunner(Projection projection, DataSource dataSource, Map<String, Object> kafkaConnection, int maxPollRecords,
                            String instanceId, MeterRegistry metrics, TraceHeaders tracing) {
        this(new BatchWriter(projection, dataSource, null), kafkaConnection, maxPollRecords, instanceId, metrics, tracing);
    }

    /** A runner for any sink: a reactor's ({@link ReactorWriter}) as well as a projection's. */
    public ProjectionRunner(EventSink sink, Map<String, Object> kafkaConnection, int maxPollRecords,
                            String instanceId, MeterRegistry metrics, TraceHeaders tracing) {
        this.tracing = tracing;
        this.sink = sink;
        this.progress = new ProjectionProgress(sink.name(), metrics);
        this.consumerConfig = KafkaConnection.client(kafkaConnection, Map.of(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, sink.consumerGroup() + "-" + instanceId,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.GROUP_ID_CONFIG, sink.consumerGroup(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.CLIENT_ID_CONFIG, sink.consumerGroup()));
    }

    public ProjectionProgress progress() {
        return progress;
    }

    /** The projection's writer (rebuilds and dead letters use it); only for a projection's runner. */
    public BatchWriter writer() {
        if (sink instanceof BatchWriter writer) {
            return writer;
        }
        throw new IllegalStateException(sink.name() + " is not a projection");
    }

    public Projection projection() {
        return writer().projection();
    }

    /**
     * Never ends before {@link #stop()}: whatever fails (the database, Kafka, a client that cannot
     * even be created, an Error thrown by a projection) is logged with its reason, reported (status
     * FAILED, which takes readiness down), and retried with a backoff that doubles up to
     * {@link #MOST_BACKOFF}; a runner that cannot go on with its consumer starts a new one.
     */
    @Override
    public void run() {
        while (!stopping) {
            try {
                consumeUntilStopped();
            } catch (Throwable e) { // an Error too: a dead runner thread would leave the read model silently stale
                failed(e, "its Kafka consumer stopped; starting a new one");
            }
        }
    }

    private void consumeUntilStopped() {
        checkpoints.clear();
        positioned = true;
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            consumer.subscribe(List.of(TOPIC), new ResumeFromCheckpoints());
            while (!stopping) {
                try {
                    Pause requested = pause;
                    if (requested != null) {
                        holdStill(requested);
                    } else {
                        pollOnce();
                    }
                    failuresInARow = 0;
                } catch (WakeupException stop) {
                    return;
                } catch (CheckpointStore.CheckpointMoved moved) {
                    // Another instance (or a rebuild's swap) moved on: expected during a rolling update.
                    LOG.warnf("Projection %s: %s; going on from the stored checkpoint", sink.name(),
                            moved.getMessage());
                } catch (RuntimeException e) {
                    failed(e, "retrying");
                }
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.warnf("Projection %s: closing its consumer failed: %s", sink.name(), e);
            }
        }
    }

    private void failed(Throwable e, String then) {
        failuresInARow++;
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(failuresInARow - 1, 16));
        backoff = backoff.compareTo(MOST_BACKOFF) > 0 ? MOST_BACKOFF : backoff;
        LOG.errorf(e, "Projection %s failed (%d in a row): %s; %s in %d ms", sink.name(), failuresInARow,
                e, then, backoff.toMillis());
        progress.failed(DeadLetters.describe(e)); // with its causes: "Failed to construct kafka consumer" alone says little
        sleepUnlessStopped(backoff);
    }

    boolean isStopping() {
        return stopping;
    }

    int failuresInARow() {
        return failuresInARow;
    }

    public void stop() {
        stopping = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /**
     * Stops applying events (between two batches) until {@link #resume()}: a rebuild swaps the
     * tables and checkpoints underneath while the runner holds still. Completes once it does.
     */
    public CompletableFuture<Void> pause() {
        Pause requested = new Pause(new CompletableFuture<>());
        pause = requested;
        return requested.holding;
    }

    /** Goes on from the checkpoints now in the database, which a swap may have replaced. */
    public void resume() {
        pause = null;
    }

    private void holdStill(Pause requested) {
        consumer.pause(consumer.assignment());
        requested.holding.complete(null);
        while (pause == requested && !stopping) {
            consumer.poll(Duration.ofMillis(100)); // keeps the group membership alive; paused partitions return nothing
        }
        resumeFromCheckpoints(consumer.assignment());
        consumer.resume(consumer.assignment());
    }

    private void pollOnce() {
        if (!positioned) {
            resumeFromCheckpoints(consumer.assignment()); // after a failed batch, from what PostgreSQL holds
        }
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
        Map<Integer, Long> nextOffsets = new HashMap<>();
        Map<Integer, Long> lastTimestamps = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            batch.add(record);
            nextOffsets.put(record.partition(), record.offset() + 1);
            lastTimestamps.put(record.partition(), record.timestamp());
        }
        List<Span> spans = startSpans(batch);
        Map<Integer, Long> from = new HashMap<>();
        nextOffsets.keySet().forEach(partition -> {
            if (checkpoints.containsKey(partition)) {
                from.put(partition, checkpoints.get(partition));
            }
        });
        try {
            int parked = sink.writeOrPark(batch, from, nextOffsets);
            if (parked > 0) {
                LOG.warnf("Projection %s parked %d event(s) it could not apply", sink.name(), parked);
            }
            checkpoints.putAll(nextOffsets);
        } catch (RuntimeException e) {
            // The batch is not in the database: before the next poll, seek to the checkpoints stored
            // there (another instance may have moved them: then this one goes on from where it did).
            positioned = false;
            spans.forEach(span -> span.recordException(e).setStatus(StatusCode.ERROR));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
        progress.applied(records.count(), nextOffsets);
        lastTimestamps.forEach(progress::appliedUpTo);
        Map<TopicPartition, OffsetAndMetadata> forDashboards = new HashMap<>();
        nextOffsets.forEach((partition, offset) ->
                forDashboards.put(new TopicPartition(TOPIC, partition), new OffsetAndMetadata(offset)));
        consumer.commitAsync(forDashboards, null);
    }

    /**
     * One span per traced event, child of the trace the event carries (the HTTP command that caused
     * it), covering the batch's database write. Events without a trace context get none.
     */
    private List<Span> startSpans(List<ConsumerRecord<String, byte[]>> batch) {
        List<Span> spans = new ArrayList<>();
        String name = "tally.project " + sink.name();
        for (ConsumerRecord<String, byte[]> record : batch) {
            Span span = tracing.startConsumerSpan(name, record.headers());
            if (span != null) {
                spans.add(span.setAttribute("tally.account_id", String.valueOf(record.key()))
                        .setAttribute("messaging.kafka.offset", record.offset()));
            }
        }
        return spans;
    }

    private void resumeFromCheckpoints(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> stored = sink.checkpoints();
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Long next = stored.get(partition.partition());
            if (next == null) {
                checkpoints.remove(partition.partition());
                fresh.add(partition);
                progress.positioned(partition.partition(), 0);
            } else {
                checkpoints.put(partition.partition(), next);
                consumer.seek(partition, next);
                progress.positioned(partition.partition(), next);
            }
        }
        if (!fresh.isEmpty()) {
            startFresh(fresh);
        }
        positioned = true;
    }

    /**
     * Partitions without a checkpoint: a projection reads them from the beginning; a reactor stores
     * "now" (the end offsets) first and starts there, so a crash before its first event keeps that start.
     */
    private void startFresh(List<TopicPartition> fresh) {
        if (!sink.startsFromEnd()) {
            consumer.seekToBeginning(fresh);
            return;
        }
        Map<Integer, Long> now = new HashMap<>();
        consumer.endOffsets(fresh).forEach((partition, offset) -> now.put(partition.partition(), offset));
        sink.storeFirstCheckpoints(now);
        Map<Integer, Long> stored = sink.checkpoints();
        for (TopicPartition partition : fresh) {
            long next = stored.get(partition.partition());
            checkpoints.put(partition.partition(), next);
            consumer.seek(partition, next);
            progress.positioned(partition.partition(), next);
        }
    }

    /** In slices, so that {@link #stop()} does not wait for a long backoff to end. */
    private void sleepUnlessStopped(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        try {
            while (!stopping && System.nanoTime() < until) {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true; // interrupted: the service is going down
        }
    }

    private record Pause(CompletableFuture<Void> holding) {
    }

    /** On every assignment, the database says where to resume; Kafka's committed offsets are ignored. */
    private final class ResumeFromCheckpoints implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            resumeFromCheckpoints(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> {
                progress.revoked(partition.partition());
                checkpoints.remove(partition.partition());
            });
        }
    }
}
