package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Closed-loop HTTP load with {@code wrk} (Debian's package): C connections, each sending its next request
 * when the last is answered. A Lua script spreads the requests over many paths and prints wrk's own
 * latency percentiles as JSON.
 */
final class Wrk {

    /** One wrk run; latencies in milliseconds. */
    /** One request of the rotation: its path and its body (null for none). */
    record Request(String path, String body) {
    }

    /**
     * @param statuses how many answers of each status, when counted (transfers: 201 completed, 202 pending)
     */
    record Result(int connections, long requests, double seconds, double perSecond, double p50, double p90,
                  double p99, double max, long errors, long non2xx, Map<String, Long> statuses, String output) {

        String latencies() {
            return "p50 %s, p90 %s, p99 %s, max %s ms".formatted(ms(p50), ms(p90), ms(p99), ms(max));
        }

        String summary() {
            return "%,.0f/s, %s%s".formatted(perSecond, latencies(), errors == 0 ? "" : ", errors " + errors
                    + (non2xx > 0 ? " (" + non2xx + " non-2xx)" : ""));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDir;

    Wrk(Path workDir) {
        this.workDir = workDir;
    }

    /** Installs wrk from the OS packages when it is missing (the only tool the suite installs itself). */
    static void ensureInstalled() {
        if (Shell.onPath("wrk")) {
            return;
        }
        System.out.println("bench: wrk is missing; installing it with apt-get (Debian package 'wrk')…");
        List<String> prefix = "root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo");
        List<String> install = new ArrayList<>(prefix);
        install.addAll(List.of("apt-get", "install", "-y", "wrk"));
        Shell.Output out = Shell.run(install, Map.of("DEBIAN_FRONTEND", "noninteractive"), 300);
        if (out.exitCode() != 0 || !Shell.onPath("wrk")) {
            throw new IllegalStateException("could not install wrk (apt-get install -y wrk): " + out.text());
        }
    }

    /** Runs {@code method} on the paths (rotating) against {@code baseUrl}, with the given connections. */
    Result run(String baseUrl, String method, List<String> paths, String body, Optional<String> authorization,
               int connections, int seconds) {
        return run(baseUrl, method, paths.stream().map(p -> new Request(p, body)).toList(), authorization,
                connections, seconds, false);
    }

    /** Like the other, each request with its own body; {@code countStatuses} tallies answers by status. */
    Result run(String baseUrl, String method, List<Request> requests, Optional<String> authorization,
               int connections, int seconds, boolean countStatuses) {
        try {
            Path script = Files.createTempFile(workDir, "wrk-", ".lua");
            Files.writeString(script, script(method, requests, authorization, countStatuses));
            int threads = Math.min(2, connections);
            List<String> command = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                    "--timeout", "10s", "--latency", "-s", script.toString(), baseUrl);
            Shell.Output out = Shell.run(command, Map.of(), seconds + 60L);
            Files.deleteIfExists(script);
            String line = out.text().lines().filter(l -> l.startsWith("WRK_JSON ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk printed no result: " + out.text()));
            JsonNode j = JSON.readTree(line.substring("WRK_JSON ".length()));
            double secs = j.get("duration_us").asDouble() / 1e6;
            long errors = j.get("errors_connect").asLong() + j.get("errors_read").asLong()
                    + j.get("errors_write").asLong() + j.get("errors_status").asLong()
                    + j.get("errors_timeout").asLong();
            return new Result(connections, j.get("requests").asLong(), secs, j.get("requests").asLong() / secs,
                    j.get("p50_us").asDouble() / 1000, j.get("p90_us").asDouble() / 1000,
                    j.get("p99_us").asDouble() / 1000, j.get("max_us").asDouble() / 1000, errors,
                    j.get("errors_status").asLong(), statuses(out.text()), out.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Long> statuses(String output) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        output.lines().filter(l -> l.startsWith("WRK_STATUS ")).forEach(l -> {
            String[] parts = l.split(" ");
            counts.merge(parts[1], Long.parseLong(parts[2]), Long::sum);
        });
        return counts;
    }

    private static String script(String method, List<Request> requests, Optional<String> authorization,
                                 boolean countStatuses) {
        String pathTable = requests.stream().map(r -> lua(r.path())).collect(Collectors.joining(",\n  "));
        String bodyTable = requests.stream().map(r -> r.body() == null ? "false" : lua(r.body()))
                .collect(Collectors.joining(",\n  "));
        String counting = !countStatuses ? "" : """
                statuses = {}
                response = function(status, headers, body)
                  statuses[status] = (statuses[status] or 0) + 1
                end
                """;
        String report = !countStatuses ? "" : """
                  for _, t in ipairs(threads) do
                    local s = t:get("statuses")
                    for k, v in pairs(s) do io.write(string.format("WRK_STATUS %d %d\\n", k, v)) end
                  end
                """;
        return """
                wrk.method = %s
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Accept"] = "application/json"
                %s
                local paths = {
                  %s
                }
                local bodies = {
                  %s
                }
                local counter = 0
                local threads = {}
                function setup(thread)
                  thread:set("tid", #threads)
                  table.insert(threads, thread)
                end
                function init(args)
                  counter = tid * 7919
                end
                request = function()
                  counter = counter + 1
                  local i = (counter %% #paths) + 1
                  return wrk.format(nil, paths[i], nil, bodies[i] or nil)
                end
                %s
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format('WRK_JSON {"requests":%%d,"duration_us":%%d,"errors_connect":%%d,"errors_read":%%d,"errors_write":%%d,"errors_status":%%d,"errors_timeout":%%d,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,"max_us":%%d}\\n',
                    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
                    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
                %s
                end
                """.formatted(lua(method),
                authorization.map(a -> "wrk.headers[\"Authorization\"] = " + lua(a)).orElse(""),
                pathTable, bodyTable, counting, report);
    }

    private static String lua(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String ms(double value) {
        return value >= 100 ? "%.0f".formatted(value) : value >= 10 ? "%.1f".formatted(value) : "%.2f".formatted(value);
    }
}
