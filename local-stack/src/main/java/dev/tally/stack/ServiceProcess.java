package dev.tally.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One Quarkus service ({@code java -jar quarkus-run.jar}) in its own JVM, its output in a log file. */
public final class ServiceProcess implements AutoCloseable {

    // Quarkus' own graceful shutdown defaults to well under this; a service still running after it is stuck.
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final String name;
    private final Process process;
    private final int port;
    private final Path logFile;

    private ServiceProcess(String name, Process process, int port, Path logFile) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Spawns the service and returns at once; {@link #awaitReady} waits for it. The log file is
     * appended to, with a header per start, so a crash before a restart stays readable.
     */
    public static ServiceProcess start(String name, Path quarkusRunJar, Map<String, String> env, int port, Path logFile) {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new StartupFailedException(name + " is not built: " + quarkusRunJar + " is missing (run ./mvnw install -DskipTests)");
        }
        // Checked first because a health check answered by whatever already holds the port would
        // otherwise pass for our service being ready.
        Ports.requireFree(port, name);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(logFile, "=== " + Instant.now() + " starting " + name + " on port " + port + ": java -jar " + quarkusRunJar + " ===\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-XX:+ExitOnOutOfMemoryError");
            command.addAll(memoryLimits());
            // a marker for `ps`; Quarkus ignores unknown system properties
            command.add("-Dtally.part=" + name);
            command.addAll(List.of("-jar", quarkusRunJar.toAbsolutePath().toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(env);
            return new ServiceProcess(name, builder.start(), port, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /**
     * Each service's JVM gets explicit limits instead of the JVM's default heap (a quarter of the
     * machine: 6 GB here, and a process that grows toward it). With the command service's RocksDB
     * budget (64 MB) these keep each service under ~512 MB RSS under load (README, "Performance").
     * {@code TALLY_JAVA_OPTS} replaces them (space-separated JVM options).
     */
    static List<String> memoryLimits() {
        String configured = System.getenv("TALLY_JAVA_OPTS");
        if (configured != null && !configured.isBlank()) {
            return List.of(configured.trim().split("\\s+"));
        }
        return DEFAULT_JVM_LIMITS;
    }

    static final List<String> DEFAULT_JVM_LIMITS = List.of("-Xms64m", "-Xmx256m", "-XX:MaxMetaspaceSize=192m",
            "-XX:ReservedCodeCacheSize=96m", "-XX:MaxDirectMemorySize=128m", "-Xss512k");

    /** Polls {@code /q/health/ready} until it answers 200; fails early if the process dies. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).GET().build();
        String lastAnswer = "no answer yet";
        while (true) {
            if (!process.isAlive()) {
                throw new StartupFailedException(LogTail.withTail(
                        name + " exited with code " + process.exitValue() + " before it was ready", logFile));
            }
            try {
                HttpResponse<String> response = client.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
            } catch (IOException e) {
                lastAnswer = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupFailedException("interrupted while waiting for " + name, e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StartupFailedException(LogTail.withTail(
                        name + " was not ready within " + timeout.toSeconds() + " s (last answer from /q/health/ready: " + lastAnswer + ")", logFile));
            }
            try {
                Thread.sleep(POLL_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupFailedException("interrupted while waiting for " + name, e);
            }
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
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

    /** Completes when the process has ended, for whatever reason. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** SIGKILL, no shutdown hooks: what a crash or an OOM kill looks like to the rest of the system. */
    public void kill() {
        ProcessTree.kill(process.toHandle());
    }

    /** SIGTERM (Quarkus shuts down gracefully), then SIGKILL after 20 s. */
    @Override
    public void close() {
        ProcessTree.stop(process.toHandle(), STOP_GRACE);
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
    }
}
