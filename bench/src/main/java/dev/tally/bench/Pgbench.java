package dev.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's own speed for a read: {@code pgbench} (the PostgreSQL client package) running the SQL
 * the query service runs, prepared, with as many clients as wrk has connections. Percentiles come
 * from pgbench's per-transaction log.
 */
final class Pgbench {

    record Result(int clients, double perSecond, double p50, double p99, long transactions, String output) {

        String summary() {
            return "%,.0f/s, p50 %s, p99 %s ms".formatted(perSecond, Wrk.ms(p50), Wrk.ms(p99));
        }
    }

    private final Map<String, String> env;
    private final Path workDir;

    Pgbench(String jdbcUrl, String user, String password, Path workDir) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        this.env = Map.of("PGHOST", uri.getHost(), "PGPORT", String.valueOf(uri.getPort()),
                "PGDATABASE", uri.getPath().substring(1), "PGUSER", user, "PGPASSWORD", password);
        this.workDir = workDir;
    }

    static boolean available() {
        return Shell.onPath("pgbench");
    }

    /** {@code script} is a pgbench script: {@code \set} lines, then the statement. */
    Result run(String name, String script, int clients, int seconds) {
        try {
            Path dir = Files.createTempDirectory(workDir, "pgbench-" + name + "-");
            Path file = dir.resolve("script.sql");
            Files.writeString(file, script);
            int threads = Math.min(2, clients);
            List<String> command = List.of("pgbench", "-n", "-M", "prepared", "-c", String.valueOf(clients),
                    "-j", String.valueOf(threads), "-T", String.valueOf(seconds), "-f", file.toString(),
                    "--log", "--log-prefix=" + dir.resolve("log"));
            Shell.Output out = Shell.run(command, env, seconds + 60L);
            if (out.exitCode() != 0) {
                throw new IllegalStateException("pgbench failed: " + out.text());
            }
            Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out.text());
            double perSecond = tps.find() ? Double.parseDouble(tps.group(1)) : Double.NaN;
            long[] micros;
            try (var logs = Files.list(dir)) {
                micros = logs.filter(p -> p.getFileName().toString().startsWith("log")).flatMap(p -> {
                    try {
                        return Files.readAllLines(p).stream();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).mapToLong(line -> Long.parseLong(line.split(" ")[2])).sorted().toArray();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            return new Result(clients, perSecond, percentile(micros, 50) / 1000, percentile(micros, 99) / 1000,
                    micros.length, out.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }
}
