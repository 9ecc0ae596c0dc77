package dev.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Open-loop HTTP load at a fixed rate with {@code h2load} (Debian's nghttp2-client; wrk2 is not
 * packaged): many HTTP/1.1 connections, each sending at its own fixed rate ({@code --rps}), so the
 * offered load does not drop when answers slow down, as long as no single answer takes longer than
 * one connection's interval (connections × 1 s / rate; 250 ms at 1,000/s over 250 connections).
 * Percentiles come from h2load's per-request log. The rate actually reached is reported next to the
 * one asked for: when it falls short, the service could not keep up.
 */
final class OpenLoop {

    record Result(int rate, double reached, long requests, long non2xx, double p50, double p90, double p99,
                  double max, String output) {

        String summary() {
            return "reached %,.0f/s, p50 %s, p90 %s, p99 %s, max %s ms%s".formatted(reached, Wrk.ms(p50), Wrk.ms(p90),
                    Wrk.ms(p99), Wrk.ms(max), non2xx == 0 ? "" : ", " + non2xx + " errors");
        }
    }

    private final Path workDir;

    OpenLoop(Path workDir) {
        this.workDir = workDir;
    }

    static void ensureInstalled() {
        if (Shell.onPath("h2load")) {
            return;
        }
        System.out.println("bench: h2load is missing; installing it with apt-get (Debian package 'nghttp2-client')…");
        List<String> install = new ArrayList<>("root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo"));
        install.addAll(List.of("apt-get", "install", "-y", "nghttp2-client"));
        Shell.Output out = Shell.run(install, Map.of("DEBIAN_FRONTEND", "noninteractive"), 300);
        if (out.exitCode() != 0 || !Shell.onPath("h2load")) {
            throw new IllegalStateException("could not install h2load (apt-get install -y nghttp2-client): " + out.text());
        }
    }

    /** POSTs {@code body} to the URLs (round robin) at {@code rate} per second for {@code seconds}. */
    Result run(List<String> urls, String body, Optional<String> authorization, int rate, int seconds) {
        try {
            Path dir = Files.createTempDirectory(workDir, "h2load-");
            Path uris = dir.resolve("uris.txt");
            Path data = dir.resolve("body.json");
            Path log = dir.resolve("requests.tsv");
            Files.write(uris, urls);
            Files.writeString(data, body);
            int clients = Math.max(1, Math.min(250, rate / 4));
            double perClient = (double) rate / clients;
            List<String> command = new ArrayList<>(List.of("h2load", "--h1", "-c", String.valueOf(clients),
                    "-t", "1", "--rps", "%.3f".formatted(perClient), "-D", String.valueOf(seconds),
                    "-d", data.toString(), "-i", uris.toString(), "--log-file=" + log,
                    "-H", "Content-Type: application/json"));
            authorization.ifPresent(a -> command.addAll(List.of("-H", "Authorization: " + a)));
            Shell.Output out = Shell.run(command, Map.of(), seconds + 60L);
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            long non2xx = 0;
            double[] ms = new double[lines.size()];
            int n = 0;
            for (String line : lines) {
                String[] cols = line.split("\t");
                int status = Integer.parseInt(cols[1]);
                if (status < 200 || status > 299) {
                    non2xx++;
                }
                ms[n++] = Long.parseLong(cols[2]) / 1000.0;
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            double max = java.util.Arrays.stream(ms).max().orElse(Double.NaN);
            return new Result(rate, lines.size() / (double) seconds, lines.size(), non2xx, Pgbench.percentile(ms, 50),
                    Pgbench.percentile(ms, 90), Pgbench.percentile(ms, 99), max, out.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
