package dev.tally.command.platform;

import dev.tally.command.writemodel.CommandResult;
import dev.tally.command.writemodel.JsonSerde;
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
    private volatile boolean positioned;
    private Thread thread;

    CommandResultListener(CommandBus bus, KafkaClientSettings kafka) {
        this.bus = bus;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent startup) {
        thread = Thread.ofPlatform().name("command-results").daemon().start(this::run);
    }

    /** True once the listener sits at the end of every partition: results from now on will be seen. */
    public boolean isPositioned() {
        return positioned;
    }

    private void run() {
        consumer = new KafkaConsumer<>(kafka.client(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.CLIENT_ID_CONFIG, "tally-command-results-" + UUID.randomUUID())),
                new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMAND_RESULTS.name(), Duration.ofMinutes(5))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // position() resolves the lazy seek now, before the service can report ready.
            partitions.forEach(consumer::position);
            positioned = true;
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        bus.deliver(record.key(), results.fromBytes(record.value()));
                    } catch (RuntimeException unreadable) {
                        LOG.warnf(unreadable, "Skipping unreadable command result at offset %d", record.offset());
                    }
                }
            }
        } catch (WakeupException stopping) {
            // shutdown
        } catch (RuntimeException e) {
            LOG.error("Command result listener stopped", e);
        } finally {
            positioned = false;
            consumer.close(Duration.ofSeconds(2));
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }
}
