package dev.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external tool (wrk, pgbench, a Kafka perf tool's JVM) and hands back what it printed. */
final class Shell {

    record Output(int exitCode, String text) {
    }

    private Shell() {
    }

    static Output run(List<String> command, Map<String, String> env, long timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            // Read while it runs: a tool that fills the pipe would otherwise block forever.
            StringBuilder text = new StringBuilder();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try {
                    text.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process died; what it printed so far is all there is
                }
            });
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                reader.join(2000);
                return new Output(-1, text + "\n(timed out after " + timeoutSeconds + " s)");
            }
            reader.join(5000);
            return new Output(process.exitValue(), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Path.of(dir, tool).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** The first line a tool prints about its version, or "absent". */
    static String version(List<String> command) {
        if (!onPath(command.getFirst())) {
            return "absent";
        }
        String text = run(command, Map.of(), 10).text().strip();
        return text.isEmpty() ? "unknown" : text.lines().findFirst().orElse("unknown");
    }
}
