package dev.tally.command.platform;

import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.command.writemodel.JsonSerde;
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

    CommandBus(KafkaClientSettings kafka, OpenTelemetry telemetry,
               @ConfigProperty(name = "tally.command.timeout", defaultValue = "10s") Duration timeout,
               CommandMetrics metrics) {
        this.timeout = timeout;
        this.tracing = new TraceHeaders(telemetry, "dev.tally.command.platform");
        this.metrics = metrics;
        this.producer = new KafkaProducer<>(kafka.client(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
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
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                pending.remove(commandId);
                waiting.settled.completeExceptionally(error);
            }
        });
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (waiting.firstUnsettled == null && pending.remove(commandId, waiting)) {
                waiting.settled.completeExceptionally(new CommandTimeoutException(commandId));
            }
        });
        return waiting.settled;
    }

    void close(@Observes ShutdownEvent shutdown) {
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
