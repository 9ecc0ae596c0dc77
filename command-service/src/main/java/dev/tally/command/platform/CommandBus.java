package dev.tally.command.platform;

import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.command.writemodel.JsonSerde;
import dev.tally.schemas.Topics;
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
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request/reply over Kafka: sends a command to the write model and completes when its result
 * arrives on the results topic (see {@link CommandResultListener}). The HTTP thread is never
 * blocked while waiting.
 */
@ApplicationScoped
public class CommandBus {

    private final Map<String, CompletableFuture<CommandResult>> pending = new ConcurrentHashMap<>();
    private final JsonSerde<CommandMessage> commands = new JsonSerde<>(CommandMessage.class);
    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    CommandBus(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
               @ConfigProperty(name = "tally.command.timeout", defaultValue = "10s") Duration timeout) {
        this.timeout = timeout;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.CLIENT_ID_CONFIG, "tally-command-bus"),
                new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    /** Sends the command keyed by its account; completes with the result, or fails with {@link CommandTimeoutException}. */
    public CompletionStage<CommandResult> send(CommandMessage command) {
        return send(new ProducerRecord<>(Topics.COMMANDS.name(), command.accountId(), commands.toBytes(command)),
                command.commandId());
    }

    /** Sends a warm-up ping to one partition of the commands topic. */
    public CompletionStage<CommandResult> ping(CommandMessage ping, int partition) {
        return send(new ProducerRecord<>(Topics.COMMANDS.name(), partition, null, commands.toBytes(ping)),
                ping.commandId());
    }

    public int commandPartitions() {
        return producer.partitionsFor(Topics.COMMANDS.name()).size();
    }

    void complete(String commandId, CommandResult result) {
        CompletableFuture<CommandResult> waiting = pending.remove(commandId);
        if (waiting != null) {
            waiting.complete(result);
        }
    }

    private CompletionStage<CommandResult> send(ProducerRecord<String, byte[]> record, String commandId) {
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        pending.put(commandId, result);
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                pending.remove(commandId);
                result.completeExceptionally(error);
            }
        });
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> {
                    pending.remove(commandId);
                    return CompletableFuture.failedFuture(
                            error instanceof java.util.concurrent.TimeoutException ? new CommandTimeoutException(commandId) : error);
                });
    }

    void close(@Observes ShutdownEvent shutdown) {
        producer.close(Duration.ofSeconds(5));
    }
}
