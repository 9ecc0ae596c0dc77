package dev.tally.command.platform;

import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.command.writemodel.JsonSerde;
import dev.tally.schemas.KafkaClientSettings;
import dev.tally.schemas.Topics;
import dev.tally.schemas.tracing.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request/reply over Kafka: sends a command to the write model and completes when its result
 * arrives on the results topic (see {@link CommandResultListener}). The HTTP thread is never
 * blocked while waiting.
 */
@ApplicationScoped
public class CommandBus {

    private final Map<String, Waiting> pending = new ConcurrentHashMap<>();
    private final JsonSerde<CommandMessage> commands = new JsonSerde<>(CommandMessage.class);
    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;
    private final CommandMetrics metrics;

    private final TraceHeaders tracing;

    /**
     * Where records are handed to the producer: {@code send} may block (no metadata yet, buffer
     * full) and HTTP handlers run on the event loop, which must never block.
     */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("command-sender").daemon().factory());
    private final Duration maxBlock;

    CommandBus(KafkaClientSettings kafka, OpenTelemetry telemetry,
               @ConfigProperty(name = "tally.command.timeout", defaultValue = "10s") Duration timeout,
               @ConfigProperty(name = "tally.kafka.max-block", defaultValue = "2s") Duration maxBlock,
               CommandMetrics metrics) {
        this.timeout = timeout;
        this.maxBlock = maxBlock;
        this.tracing = new TraceHeaders(telemetry, "dev.tally.command.platform");
        this.metrics = metrics;
        this.producer = new KafkaProducer<>(kafka.client(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                // A broker that does not answer fails the command promptly (503), instead of
                // holding it for the client defaults (60 s blocked, 120 s to deliver).
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs(timeout),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), requestTimeoutMs(timeout) + 1000),
                ProducerConfig.CLIENT_ID_CONFIG, "tally-command-bus")),
                new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends the command keyed by its account. Completes with its settled result; a result that is
     * not settled yet (a transfer in flight) is handed back once {@code settleWait} has passed
     * without the outcome. Fails with {@link CommandTimeoutException} when nothing arrives at all.
     */
    public CompletionStage<CommandResult> send(CommandMessage command, Duration settleWait) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.COMMANDS.name(), command.key(),
                commands.toBytes(command));
        // The HTTP request's span is current here: the write model continues its trace.
        tracing.inject(Context.current(), record.headers());
        return metrics.observe(command, send(record, command.commandId(), settleWait));
    }

    /** Sends a warm-up ping to one partition of the commands topic. */
    public CompletionStage<CommandResult> ping(CommandMessage ping, int partition) {
        return send(new ProducerRecord<>(Topics.COMMANDS.name(), partition, null, commands.toBytes(ping)),
                ping.commandId(), Duration.ZERO);
    }

    public int commandPartitions() {
        return producer.partitionsFor(Topics.COMMANDS.name()).size();
    }

    /** Whether a request of this instance still waits for this command's result. */
    boolean awaits(String commandId) {
        return commandId != null && pending.containsKey(commandId);
    }

    void deliver(String commandId, CommandResult result) {
        Waiting waiting = pending.get(commandId);
        if (waiting == null) {
            return;
        }
        if (result.settled()) {
            pending.remove(commandId);
            CommandResult first = waiting.firstUnsettled;
            waiting.settled.complete(first == null ? result : result.after(first));
        } else if (waiting.firstUnsettled == null) {
            waiting.firstUnsettled = result;
            CompletableFuture.delayedExecutor(waiting.settleWait.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                pending.remove(commandId);
                waiting.settled.complete(result);
            });
        }
    }

    private CompletionStage<CommandResult> send(ProducerRecord<String, byte[]> record, String commandId,
                                                Duration settleWait) {
        Waiting waiting = new Waiting(settleWait);
        pending.put(commandId, waiting);
        long queuedAt = System.nanoTime();
        try {
            sender.execute(() -> {
                try {
                    if (System.nanoTime() - queuedAt > maxBlock.toNanos()) {
                        // Queued behind sends that blocked: Kafka is not taking records.
                        throw new org.apache.kafka.common.errors.TimeoutException("Kafka did not take the command within "
                                + maxBlock.toMillis() + " ms");
                    }
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            failed(commandId, waiting, error);
                        }
                    });
                } catch (RuntimeException error) {
                    failed(commandId, waiting, error);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            failed(commandId, waiting, shuttingDown);
        }
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (waiting.firstUnsettled == null && pending.remove(commandId, waiting)) {
                waiting.settled.completeExceptionally(new CommandTimeoutException(commandId));
            }
        });
        return waiting.settled;
    }

    private static int requestTimeoutMs(Duration commandTimeout) {
        return (int) Math.max(1000, commandTimeout.toMillis() / 2);
    }

    private void failed(String commandId, Waiting waiting, Throwable error) {
        pending.remove(commandId);
        waiting.settled.completeExceptionally(new CommandNotSentException(commandId, error));
    }

    void close(@Observes ShutdownEvent shutdown) {
        sender.shutdown();
        producer.close(Duration.ofSeconds(5));
    }

    private static final class Waiting {
        final Duration settleWait;
        final CompletableFuture<CommandResult> settled = new CompletableFuture<>();
        volatile CommandResult firstUnsettled;

        Waiting(Duration settleWait) {
            this.settleWait = settleWait;
        }
    }
}
