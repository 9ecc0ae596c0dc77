package dev.tally.system;

import dev.tally.stack.LocalStack;
import dev.tally.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * One real stack (Kafka, PostgreSQL, the three packaged services) for every system test class in
 * this JVM: starting it takes ~15 s, so the classes share it and each uses its own account ids.
 * The stack stops itself when the JVM exits. Kafka and PostgreSQL are the embedded ones unless
 * {@code -Dtally.infra} says otherwise ({@link InfrastructureKind}); the services are processes either way.
 */
final class SharedStack {

    private static LocalStack stack;
    private static OtlpReceiver traces;

    private SharedStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            Path root = Path.of(System.getProperty("tally.repository.root", "..")).toAbsolutePath().normalize();
            try {
                // Under target/, so that mvn clean removes it; the stack itself stops when the JVM exits.
                Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "stack-");
                // Every service exports its spans to this receiver, promptly, as it would to a collector.
                traces = new OtlpReceiver();
                // Tests assert what happens, not how fast (benchmarks measure speed): on a loaded 2-core
                // CI machine a command in a 1,000-request burst has been seen to need more than the
                // default 10 s, so the shared stack waits longer before answering command-timeout.
                Map<String, String> serviceEnv = Map.of(
                        "TALLY_COMMAND_TIMEOUT", "30s",
                        "QUARKUS_OTEL_SDK_DISABLED", "false",
                        "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                        "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces.endpoint(),
                        "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                        // Webhook retries in seconds rather than hours, so that WebhookSystemTest sees
                        // backoff, timeouts and parking happen (the local stack already allows loopback).
                        "TALLY_WEBHOOKS_RETRY_FIRST", "200ms",
                        "TALLY_WEBHOOKS_RETRY_MOST", "1s",
                        "TALLY_WEBHOOKS_RETRY_FOR", "15s",
                        "TALLY_WEBHOOKS_TIMEOUT", "1s");
                StackSettings settings = StackSettings.onFreePorts(root, dataDir);
                InfrastructureKind kind = InfrastructureKind.fromEnvironment();
                System.out.println("system tests: Kafka and PostgreSQL " + kind.name().toLowerCase(Locale.ROOT)
                        + " (-D" + InfrastructureKind.PROPERTY + ")");
                stack = switch (kind) {
                    case EMBEDDED -> LocalStack.start(settings, line -> { }, serviceEnv);
                    case CONTAINERS -> LocalStack.start(settings, line -> { }, serviceEnv, ContainerInfrastructure::start);
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stack;
    }

    /** The spans the shared stack's services have exported so far. */
    static synchronized OtlpReceiver traces() {
        get();
        return traces;
    }
}
