package dev.tally.system;

import dev.tally.stack.Infrastructure;
import dev.tally.stack.KafkaServerProperties;
import dev.tally.stack.LocalPostgres;
import dev.tally.stack.StackSettings;
import dev.tally.stack.StartupFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Kafka ({@code apache/kafka}, the build's Kafka version) and PostgreSQL ({@code postgres:17}) in
 * Docker containers, for CI machines that have a Docker engine ({@code -Dtally.infra=containers}).
 * The services still run as processes on this machine and reach the containers through their
 * mapped ports; the broker gets the embedded one's settings ({@link KafkaServerProperties#singleNodeTuning}),
 * so topics are still created only by the stack. The containers' output goes to
 * {@code logs/kafka.log} and {@code logs/postgres.log} in the stack's data directory, as the
 * embedded parts' does. Testcontainers' Ryuk removes them if this JVM dies without closing.
 */
final class ContainerInfrastructure implements Infrastructure {

    static final String KAFKA_IMAGE_PROPERTY = "tally.infra.kafka-image";
    static final String POSTGRES_IMAGE_PROPERTY = "tally.infra.postgres-image";
    // Surefire passes the pom's values (the broker from ${kafka.version}); these are for a run from an IDE.
    static final String DEFAULT_KAFKA_IMAGE = "apache/kafka:4.1.1";
    static final String DEFAULT_POSTGRES_IMAGE = "postgres:17";
    // A first run pulls the images, which is not the broker being slow.
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

    private final KafkaContainer kafka;
    private final PostgreSQLContainer postgres;

    private ContainerInfrastructure(KafkaContainer kafka, PostgreSQLContainer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** Starts both containers at once and returns when both are ready; on failure nothing is left running. */
    static ContainerInfrastructure start(StackSettings settings, Consumer<String> progress) {
        Path logs = settings.dataDir().resolve("logs");
        String kafkaImage = System.getProperty(KAFKA_IMAGE_PROPERTY, DEFAULT_KAFKA_IMAGE);
        String postgresImage = System.getProperty(POSTGRES_IMAGE_PROPERTY, DEFAULT_POSTGRES_IMAGE);
        KafkaContainer kafka = new KafkaContainer(kafkaImage)
                .withEnv(brokerEnvironment(KafkaServerProperties.singleNodeTuning()))
                .withStartupTimeout(STARTUP_TIMEOUT)
                .withLogConsumer(appendTo(logs.resolve("kafka.log")));
        PostgreSQLContainer postgres = new PostgreSQLContainer(postgresImage)
                .withDatabaseName(LocalPostgres.DATABASE)
                .withUsername("postgres")
                .withPassword("postgres")
                .withStartupTimeout(STARTUP_TIMEOUT)
                .withLogConsumer(appendTo(logs.resolve("postgres.log")));
        progress.accept("starting containers " + kafkaImage + " and " + postgresImage + " …");
        ContainerInfrastructure infrastructure = new ContainerInfrastructure(kafka, postgres);
        try {
            CompletableFuture.allOf(CompletableFuture.runAsync(kafka::start), CompletableFuture.runAsync(postgres::start)).join();
            return infrastructure;
        } catch (CompletionException e) {
            infrastructure.close();
            throw new StartupFailedException("the Kafka or PostgreSQL container did not start (" + e.getCause()
                    + "); see " + logs.resolve("kafka.log") + " and " + logs.resolve("postgres.log"), e.getCause());
        }
    }

    /**
     * Broker settings as the {@code apache/kafka} image reads them: {@code KAFKA_} and the key upper-cased,
     * with {@code _} doubled, {@code -} tripled and {@code .} as {@code _} (the image's documented mapping).
     */
    static Map<String, String> brokerEnvironment(Map<String, String> serverProperties) {
        Map<String, String> env = new LinkedHashMap<>();
        serverProperties.forEach((key, value) -> env.put("KAFKA_" + key.toUpperCase(Locale.ROOT)
                .replace("_", "__").replace("-", "___").replace(".", "_"), value));
        return env;
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    public String postgresUser() {
        return postgres.getUsername();
    }

    @Override
    public String postgresPassword() {
        return postgres.getPassword();
    }

    @Override
    public String description() {
        return "containers " + kafka.getDockerImageName() + " at " + bootstrapServers()
                + " and " + postgres.getDockerImageName() + " at " + jdbcUrl();
    }

    @Override
    public void close() {
        // stop() on a container that never started does nothing, so a half-failed start closes cleanly.
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
    }

    private static Consumer<OutputFrame> appendTo(Path file) {
        return frame -> {
            if (frame.getBytes() == null) {
                return;
            }
            try {
                synchronized (ContainerInfrastructure.class) {
                    Files.createDirectories(file.getParent());
                    Files.write(file, frame.getBytes(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the container log " + file, e);
            }
        };
    }
}
