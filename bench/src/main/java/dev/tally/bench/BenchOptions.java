package dev.tally.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** ./run bench's options; each can also come from a TALLY_BENCH_* variable. */
final class BenchOptions {

    static final String USAGE = """
            usage: ./run bench [--quick | --full] [options]
              Measures Tally next to raw Kafka and PostgreSQL baselines in the same run; prints a table and
              writes report.md and report.json (default target/bench/). Numbers are reported, never judged.

              --quick               a few minutes: 5 s per load step, 20,000 write-model commands (the default)
              --full                the issue's sizes: 30 s per step, 200,000 write-model commands,
                                    a 1,000,000-event account, open-loop rates up to 2,000/s
              --commands N          deposits produced straight onto the commands topic (write model alone);
                                    their events are also the log the rebuilds replay
              --hot-events N        deposits into one account (as-of on a long history vs a short one)
              --duration S          seconds per wrk / pgbench step
              --warmup S            seconds of load before a service's first measured step (default 20; full 60)
              --connections LIST    closed-loop HTTP connection counts (default 1,16,64,256)
              --rates LIST          open-loop HTTP rates per second (default 500,1000 quick; 500,1000,2000 full)
              --only LIST           some of: write,http,open,transfers,raw,queries,rebuild,scaling,webhooks (default all;
                                    scaling needs the own stack)
              --out DIR             where the reports go (default target/bench)

              Against a running stack (else it starts its own on free ports, data in target/bench/stack):
              --command-url URL     TALLY_BENCH_COMMAND_URL     e.g. http://localhost:8081
              --query-url URL       TALLY_BENCH_QUERY_URL       e.g. http://localhost:8082
              --projection-url URL  TALLY_BENCH_PROJECTION_URL  e.g. http://localhost:8083
              --bootstrap HOST:PORT TALLY_BENCH_BOOTSTRAP       e.g. 127.0.0.1:19092
              --jdbc-url URL        TALLY_BENCH_JDBC_URL        e.g. jdbc:postgresql://127.0.0.1:15432/tally
              --pg-user U, --pg-password P (default postgres/postgres)
              --token JWT           TALLY_BENCH_TOKEN: bearer token with teller, auditor and admin roles
                                    (default: minted with the local stack's key in TALLY_DATA_DIR)
              --auth-off            the running stack has TALLY_AUTH=off
              A running stack keeps its rate limit (100 commands/s per principal by default): start it with
              TALLY_RATE_LIMIT_COMMANDS_PER_SECOND=1000000 TALLY_RATE_LIMIT_BURST=1000000 for HTTP numbers.
            """;

    static final Set<String> MEASURES = Set.of("write", "http", "open", "transfers", "raw", "queries", "rebuild", "scaling",
            "webhooks");

    boolean full;
    int commands = -1;
    int hotEvents = -1;
    int duration = -1;
    int warmup = -1;
    List<Integer> connections = List.of(1, 16, 64, 256);
    List<Integer> rates;
    Set<String> only = MEASURES;
    Path out;
    String commandUrl = env("COMMAND_URL");
    String queryUrl = env("QUERY_URL");
    String projectionUrl = env("PROJECTION_URL");
    String bootstrap = env("BOOTSTRAP");
    String jdbcUrl = env("JDBC_URL");
    String pgUser = orElse(env("PG_USER"), "postgres");
    String pgPassword = orElse(env("PG_PASSWORD"), "postgres");
    String token = env("TOKEN");
    boolean auth = true;
    final String commandLine;

    private BenchOptions(String commandLine) {
        this.commandLine = commandLine;
    }

    static BenchOptions parse(String[] args, Path repositoryRoot) {
        BenchOptions o = new BenchOptions(("./run bench " + String.join(" ", args)).strip());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> o.full = false;
                case "--full" -> o.full = true;
                case "--auth-off" -> o.auth = false;
                case "--commands" -> o.commands = Integer.parseInt(value(args, ++i, a));
                case "--hot-events" -> o.hotEvents = Integer.parseInt(value(args, ++i, a));
                case "--duration" -> o.duration = Integer.parseInt(value(args, ++i, a));
                case "--warmup" -> o.warmup = Integer.parseInt(value(args, ++i, a));
                case "--connections" -> o.connections = ints(value(args, ++i, a));
                case "--rates" -> o.rates = ints(value(args, ++i, a));
                case "--only" -> {
                    o.only = Set.copyOf(Arrays.asList(value(args, ++i, a).split(",")));
                    if (!MEASURES.containsAll(o.only)) {
                        throw new IllegalArgumentException("--only takes some of " + MEASURES);
                    }
                }
                case "--out" -> o.out = Path.of(value(args, ++i, a));
                case "--command-url" -> o.commandUrl = value(args, ++i, a);
                case "--query-url" -> o.queryUrl = value(args, ++i, a);
                case "--projection-url" -> o.projectionUrl = value(args, ++i, a);
                case "--bootstrap" -> o.bootstrap = value(args, ++i, a);
                case "--jdbc-url" -> o.jdbcUrl = value(args, ++i, a);
                case "--pg-user" -> o.pgUser = value(args, ++i, a);
                case "--pg-password" -> o.pgPassword = value(args, ++i, a);
                case "--token" -> o.token = value(args, ++i, a);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.commands < 0) {
            o.commands = o.full ? 200_000 : 20_000;
        }
        if (o.hotEvents < 0) {
            o.hotEvents = o.full ? 1_000_000 : 5_000;
        }
        if (o.duration < 0) {
            o.duration = o.full ? 30 : 5;
        }
        if (o.warmup < 0) {
            o.warmup = o.full ? 60 : 20;
        }
        if (o.rates == null) {
            o.rates = o.full ? List.of(500, 1000, 2000) : List.of(500, 1000);
        }
        if (o.out == null) {
            o.out = repositoryRoot.resolve("target/bench");
        }
        boolean anyExternal = o.commandUrl != null || o.queryUrl != null || o.projectionUrl != null
                || o.bootstrap != null || o.jdbcUrl != null;
        boolean allExternal = o.commandUrl != null && o.queryUrl != null && o.projectionUrl != null
                && o.bootstrap != null && o.jdbcUrl != null;
        if (anyExternal && !allExternal) {
            throw new IllegalArgumentException("against a running stack give all five: --command-url, --query-url, "
                    + "--projection-url, --bootstrap, --jdbc-url");
        }
        return o;
    }

    boolean external() {
        return commandUrl != null;
    }

    boolean runs(String measure) {
        return only.contains(measure);
    }

    Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mode", full ? "full" : "quick");
        s.put("stack", external() ? "running stack at " + commandUrl : "own LocalStack, rate limit raised");
        s.put("commands", commands);
        s.put("hotEvents", hotEvents);
        s.put("secondsPerStep", duration);
        s.put("warmupSeconds", warmup);
        s.put("connections", connections);
        s.put("rates", rates);
        s.put("measures", only.stream().sorted().collect(Collectors.joining(",")));
        return s;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static List<Integer> ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private static String env(String name) {
        String value = System.getenv("TALLY_BENCH_" + name);
        return value == null || value.isBlank() ? null : value;
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
