package dev.tally.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) in its own JVM.
 *
 * <p>Its own JVM rather than an in-process test kit: it is what production looks like, a broker
 * crash cannot take the caller down, and stopping it is a signal like for any other server.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    // Kafka's orderly shutdown flushes and checkpoints every partition; on a busy laptop that can
    // take several seconds, and killing it early makes the next start recover its logs instead.
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final String clusterId;
    private final Path logFile;

    private KafkaBroker(Process process, int port, String clusterId, Path logFile) {
        this.process = process;
        this.port = port;
        this.clusterId = clusterId;
        this.logFile = logFile;
    }

    /** Formats {@code dir} on first use, starts the broker and returns once it answers clients. */
    public static KafkaBroker start(Path dir, int port, int controllerPort, Path logFile) {
        KafkaBroker broker = launch(dir, port, controllerPort, logFile);
        try {
            broker.awaitReady(READY_TIMEOUT);
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Formats and spawns the broker without waiting for it, so a caller can do other work (start
     * PostgreSQL) while the broker's JVM boots, and can stop the process if it is interrupted meanwhile.
     */
    public static KafkaBroker launch(Path dir, int port, int controllerPort, Path logFile) {
        Ports.requireFree(port, "Kafka");
        Ports.requireFree(controllerPort, "the Kafka controller");
        try {
            Path dataDir = dir.resolve("data");
            Path serverProperties = dir.resolve("server.properties");
            Path log4jConfig = dir.resolve("log4j2.xml");
            Files.createDirectories(dir);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            // Rewritten on every start so that changed ports take effect; the data stays.
            KafkaServerProperties.write(serverProperties, KafkaServerProperties.singleNode(dataDir, port, controllerPort));
            BrokerLogging.writeConfig(log4jConfig, logFile);
            String clusterId = formatIfNew(dataDir, serverProperties);
            Process process = spawn(serverProperties, log4jConfig, logFile);
            return new KafkaBroker(process, port, clusterId, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the Kafka broker in " + dir, e);
        }
    }

    /** Waits until the broker (this one: the cluster id must match) lists itself as a live node. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = Admin.create(adminConfig())) {
            while (true) {
                if (!process.isAlive()) {
                    throw new StartupFailedException(LogTail.withTail(
                            "Kafka exited with code " + process.exitValue() + " before it was ready", logFile));
                }
                if (answers(admin)) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new StartupFailedException(LogTail.withTail(
                            "Kafka was not ready within " + timeout.toSeconds() + " s", logFile));
                }
                sleep(Duration.ofMillis(200));
            }
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public String clusterId() {
        return clusterId;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    public Path logFile() {
        return logFile;
    }

    /** Completes when the broker's process has ended, for whatever reason. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** SIGKILL, no orderly shutdown: for tests of what the services do when the broker vanishes. */
    public void kill() {
        ProcessTree.kill(process.toHandle());
    }

    @Override
    public void close() {
        ProcessTree.stop(process.toHandle(), STOP_GRACE);
    }

    private boolean answers(Admin admin) {
        try {
            DescribeClusterResult cluster = admin.describeCluster();
            String answeringCluster = cluster.clusterId().get(2, TimeUnit.SECONDS);
            if (!clusterId.equals(answeringCluster)) {
                // Only possible if something else grabbed the port between our check and our bind.
                throw new StartupFailedException("a different Kafka (cluster " + answeringCluster + ") answers on port " + port);
            }
            return !cluster.nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailedException("interrupted while waiting for Kafka", e);
        } catch (Exception e) {
            if (e instanceof StartupFailedException failure) {
                throw failure;
            }
            return false;
        }
    }

    private Map<String, Object> adminConfig() {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    }

    /**
     * Formats the storage once and returns the cluster id. Formatting runs in this JVM (the tool's
     * {@code execute} does not call System.exit, unlike its {@code main}): a separate JVM would cost
     * another two seconds of start-up on every fresh data directory, i.e. on every test run.
     */
    private static String formatIfNew(Path dataDir, Path serverProperties) throws IOException {
        Path meta = dataDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            return readClusterId(meta);
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = kafka.tools.StorageTool.execute(
                    new String[] {"format", "-t", clusterId, "-c", serverProperties.toString()}, out);
        } catch (RuntimeException e) {
            throw new StartupFailedException("formatting Kafka's storage in " + dataDir + " failed: " + e.getMessage()
                    + System.lineSeparator() + output.toString(StandardCharsets.UTF_8), e);
        }
        if (exitCode != 0) {
            throw new StartupFailedException("formatting Kafka's storage in " + dataDir + " failed (exit code " + exitCode + "):"
                    + System.lineSeparator() + output.toString(StandardCharsets.UTF_8));
        }
        return clusterId;
    }

    private static String readClusterId(Path meta) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(meta)) {
            properties.load(reader);
        }
        String clusterId = properties.getProperty("cluster.id");
        if (clusterId == null) {
            throw new StartupFailedException(meta + " has no cluster.id; delete the Kafka data directory (./run --fresh)");
        }
        return clusterId;
    }

    private static Process spawn(Path serverProperties, Path log4jConfig, Path logFile) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx1g",
                "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4jConfig.toAbsolutePath(),
                "-Dkafka.logs.dir=" + logFile.toAbsolutePath().getParent(),
                // a marker for `ps` and for telling our broker from any other java process
                "-Dtally.part=kafka",
                "kafka.Kafka",
                serverProperties.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // Through the environment rather than -cp: a long classpath would make `ps` unreadable.
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return builder.start();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailedException("interrupted while waiting for Kafka", e);
        }
    }
}
