package dev.tally.command.platform;

import dev.tally.command.writemodel.CommandResult;
import dev.tally.command.writemodel.JsonSerde;
import dev.tally.schemas.KafkaClientSettings;
import dev.tally.schemas.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads every partition of the results topic from its end and hands each result to the
 * {@link CommandBus} request that waits for it. No consumer group: each instance sees all results
 * and keeps the ones it asked for, so any number of instances can answer HTTP. {@code read_committed}
 * matters here: an accepted result becomes visible only with its committed events.
 */
@ApplicationScoped
public class CommandResultListener {

    private static final Logger LOG = Logger.getLogger(CommandResultListener.class);

    private final CommandBus bus;
    private final KafkaClientSettings kafka;
    private final JsonSerde<CommandResult> results = new JsonSerde<>(CommandResult.class);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Map<TopicPartition, Long> nextOffsets = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong decoded = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean positioned;
    private volatile boolean stopping;
    private volatile Runnable faultInjection = () -> { };
    private volatile Thread thread;

    CommandResultListener(CommandBus bus, KafkaClientSettings kafka) {
        this.bus = bus;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent startup) {
        thread = Thread.ofPlatform().name("command-results").daemon().start(this::runUntilStopped);
    }

    /** True once the listener sits at the end of every partition: results from now on will be seen. */
    public boolean isPositioned() {
        return positioned;
    }

    /** False only if the listening thread is gone for good: then the service is not alive. */
    public boolean isAlive() {
        return thread == null || thread.isAlive() || stopping;
    }

    /**
     * Listens, and when the consumer fails (a broker gone, a bug), logs why and listens again after
     * a backoff, from where it stopped, so no result in between is missed. Waiting requests are not
     * failed: their results are still on the topic.
     */
    private void runUntilStopped() {
        Duration backoff = Duration.ofMillis(100);
        while (!stopping) {
            try {
                listen();
                backoff = Duration.ofMillis(100);
            } catch (WakeupException stopped) {
                return;
            } catch (RuntimeException failure) {
                failures.incrementAndGet();
                LOG.errorf(failure, "Command result listener failed; listening again in %d ms", backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void listen() {
        consumer = new KafkaConsumer<>(kafka.client(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.CLIENT_ID_CONFIG, "tally-command-results-" + UUID.randomUUID())),
                new StringDeserializer(), new ByteArrayDeserializer());
        try {
            if (stopping) {
                return;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMAND_RESULTS.name(), Duration.ofMinutes(5))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // After a failure, go on from where this listener stopped, not from the end.
            partitions.forEach(p -> {
                Long resumeAt = nextOffsets.get(p);
                if (resumeAt != null) {
                    consumer.seek(p, resumeAt);
                }
            });
            // position() resolves the lazy seek now, before the service can report ready; it is also
            // where a restarted listener must go on from if nothing arrives before a failure.
            partitions.forEach(p -> nextOffsets.putIfAbsent(p, consumer.position(p)));
            positioned = true;
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    faultInjection.run();
                    read.incrementAndGet();
                    // Most results are for commands another instance sent, or whose request
                    // already gave up: the key (the command id) says so without decoding the value.
                    if (!bus.awaits(record.key())) {
                        nextOffsets.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                        continue;
                    }
                    decoded.incrementAndGet();
                    try {
                        bus.deliver(record.key(), results.fromBytes(record.value()));
                    } catch (RuntimeException unreadable) {
                        LOG.warnf(unreadable, "Skipping unreadable command result at offset %d", record.offset());
                    }
                    nextOffsets.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
            }
        } finally {
            positioned = false;
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** How many results this listener read: every result on the topic, whoever sent the command. */
    public long read() {
        return read.get();
    }

    /** How many results this listener decoded: only those a request of this instance waited for. */
    public long decoded() {
        return decoded.get();
    }

    /** How many times listening failed and was started again (for the health data and tests). */
    public int failures() {
        return failures.get();
    }

    /** For tests: something that runs before each result is handed on, and may throw. */
    void injectFault(Runnable fault) {
        this.faultInjection = fault;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }
}
