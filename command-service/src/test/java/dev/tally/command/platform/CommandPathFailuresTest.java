package dev.tally.command.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.command.writemodel.JsonSerde;
import dev.tally.schemas.KafkaClientSettings;
import dev.tally.schemas.Topics;
import dev.tally.stack.KafkaBroker;
import dev.tally.stack.StackSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, section 5, on a real broker: the background parts of the HTTP command path either
 * recover or fail promptly; none dies silently and leaves requests waiting their full timeout.
 */
class CommandPathFailuresTest {

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-");
        StackSettings ports = StackSettings.onFreePorts(Path.of(".."), dir);
        kafka = KafkaBroker.start(dir.resolve("kafka"), ports.kafkaPort(), ports.kafkaControllerPort(),
                dir.resolve("kafka.log"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.COMMANDS.name(), 2, (short) 1),
                    new NewTopic(Topics.COMMAND_RESULTS.name(), 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void the_results_listener_survives_a_failure_and_delivers_the_result_it_failed_on() throws Exception {
        CommandBus bus = bus(kafka.bootstrapServers(), Duration.ofSeconds(60));
        CommandResultListener listener = new CommandResultListener(bus, settings(kafka.bootstrapServers()));
        AtomicBoolean failedOnce = new AtomicBoolean();
        listener.injectFault(() -> {
            if (failedOnce.compareAndSet(false, true)) {
                throw new IllegalStateException("injected: the listener's thread hits a bug");
            }
        });
        listener.start(null);
        awaitPositioned(listener);
        String commandId = UUID.randomUUID().toString();
        CompletableFuture<CommandResult> answer = bus.ping(CommandMessage.ping(commandId, Instant.now()), 0)
                .toCompletableFuture();

        publishResult(commandId);

        CommandResult result = answer.get(30, TimeUnit.SECONDS);
        assertEquals(commandId, result.commandId(), "the result that arrived while the listener failed is not lost");
        assertEquals(1, listener.failures(), "it failed once, said so and listened again");
        assertTrue(listener.isAlive());
        listener.stop(null);
    }

    @Test
    void results_nobody_here_waits_for_are_passed_over_without_decoding() throws Exception {
        CommandBus bus = bus(kafka.bootstrapServers(), Duration.ofSeconds(60));
        CommandResultListener listener = new CommandResultListener(bus, settings(kafka.bootstrapServers()));
        listener.start(null);
        awaitPositioned(listener);
        String commandId = UUID.randomUUID().toString();
        CompletableFuture<CommandResult> answer = bus.ping(CommandMessage.ping(commandId, Instant.now()), 0)
                .toCompletableFuture();
        // Another instance's results (here not even JSON) land on the same topic first.
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(Topics.COMMAND_RESULTS.name(), 0, UUID.randomUUID().toString(),
                        "not a result".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
        }
        publishResult(commandId);

        assertEquals(commandId, answer.get(30, TimeUnit.SECONDS).commandId());
        assertEquals(1, listener.decoded(), "only the awaited result was decoded");
        assertEquals(0, listener.failures());
        listener.stop(null);
    }

    @Test
    void a_kafka_that_does_not_answer_fails_the_command_promptly_instead_of_waiting_the_timeout() throws Exception {
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        // A command timeout far longer than the send's bound: only a prompt failure completes in time.
        CommandBus bus = bus("localhost:" + nobodyListens, Duration.ofMinutes(5));
        CompletableFuture<CommandResult> answer = bus.send(CommandMessage.ping(UUID.randomUUID().toString(),
                Instant.now()), Duration.ZERO).toCompletableFuture();

        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> answer.get(60, TimeUnit.SECONDS));
        assertInstanceOf(CommandNotSentException.class, failure.getCause());
        bus.close(null);
    }

    private static CommandBus bus(String bootstrapServers, Duration commandTimeout) {
        return new CommandBus(settings(bootstrapServers), OpenTelemetry.noop(), commandTimeout,
                Duration.ofMillis(500), new CommandMetrics(new SimpleMeterRegistry()));
    }

    private static KafkaClientSettings settings(String bootstrapServers) {
        System.setProperty("kafka.bootstrap.servers", bootstrapServers);
        try {
            return new KafkaClientSettings();
        } finally {
            System.clearProperty("kafka.bootstrap.servers");
        }
    }

    private static void awaitPositioned(CommandResultListener listener) throws InterruptedException {
        for (int i = 0; i < 300 && !listener.isPositioned(); i++) {
            Thread.sleep(100);
        }
        assertTrue(listener.isPositioned(), "the listener never reached the end of the results topic");
    }

    private static void publishResult(String commandId) throws Exception {
        CommandResult result = new CommandResult(commandId, true, true, false, null, null, null, null, null, List.of());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.COMMAND_RESULTS.name(), commandId,
                    new JsonSerde<>(CommandResult.class).toBytes(result))).get(30, TimeUnit.SECONDS);
        }
    }
}
