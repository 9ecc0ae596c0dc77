package dev.tally.bench;

import dev.tally.stack.LocalStack;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.StackSettings;
import dev.tally.stack.auth.LocalKeys;
import dev.tally.stack.auth.LocalTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack under measurement: one the suite starts itself (own data directory, free ports, the
 * per-principal rate limit raised so that the load tool is not refused), or one already running
 * whose addresses the options give.
 */
final class Target implements AutoCloseable {

    /** The services' rate limit is per principal; one load tool is one principal. */
    static final Map<String, String> BENCH_ENV = Map.of(
            "TALLY_RATE_LIMIT_COMMANDS_PER_SECOND", "1000000",
            "TALLY_RATE_LIMIT_BURST", "1000000");

    final String commandUrl;
    final String queryUrl;
    final String projectionUrl;
    final String bootstrap;
    final String jdbcUrl;
    final String pgUser;
    final String pgPassword;
    private final LocalStack stack;
    private final String token;
    private boolean commandAuth;
    private boolean queryAuth = true;

    private Target(String commandUrl, String queryUrl, String projectionUrl, String bootstrap, String jdbcUrl,
                   String pgUser, String pgPassword, LocalStack stack, String token, boolean commandAuth) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
        this.projectionUrl = projectionUrl;
        this.bootstrap = bootstrap;
        this.jdbcUrl = jdbcUrl;
        this.pgUser = pgUser;
        this.pgPassword = pgPassword;
        this.stack = stack;
        this.token = token;
        this.commandAuth = commandAuth;
    }

    static Target start(Path repositoryRoot, Path dataDir) throws Exception {
        if (Files.exists(dataDir)) {
            // A fresh stack each run: a log left by the last run would change what a rebuild replays.
            try (var walk = Files.walk(dataDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dataDir);
        StackSettings settings = StackSettings.onFreePorts(repositoryRoot, dataDir);
        LocalStack stack = LocalStack.start(settings, line -> System.out.println("bench: stack: " + line), BENCH_ENV);
        String token = stack.tokens().mint("bench", List.of("teller", "auditor", "admin"), Instant.now(),
                Duration.ofHours(12), LocalKeys.ISSUER);
        return new Target(stack.commandUrl(), stack.queryUrl(), stack.projectionUrl(), stack.bootstrapServers(),
                stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword(), stack, token, true);
    }

    static Target running(BenchOptions o, Path repositoryRoot) {
        String token = o.token;
        if (token == null && o.auth) {
            StackSettings settings = StackSettings.fromEnvironment(System.getenv(), repositoryRoot);
            token = new LocalTokens(LocalKeys.ensure(settings.dataDir())).mint("bench",
                    List.of("teller", "auditor", "admin"), Instant.now(), Duration.ofHours(12), LocalKeys.ISSUER);
        }
        return new Target(o.commandUrl, o.queryUrl, o.projectionUrl, o.bootstrap, o.jdbcUrl, o.pgUser, o.pgPassword,
                null, o.auth ? token : null, o.auth);
    }

    boolean ownStack() {
        return stack != null;
    }

    /** The Authorization header value for commands, or empty when the command service runs without auth. */
    Optional<String> commandAuthorization() {
        return commandAuth && token != null ? Optional.of("Bearer " + token) : Optional.empty();
    }

    /** Reads and admin calls keep the token: only the command service is ever switched. */
    Optional<String> authorization() {
        return token == null ? Optional.empty() : Optional.of("Bearer " + token);
    }

    boolean commandAuth() {
        return commandAuth;
    }

    /** Restarts the command service with authentication on or off (own stack only). */
    void commandServiceAuth(boolean on) {
        restart(LocalStack.COMMAND_SERVICE, on);
        commandAuth = on;
    }

    /** Restarts the query service with authentication on or off (own stack only). */
    void queryServiceAuth(boolean on) {
        restart(LocalStack.QUERY_SERVICE, on);
        queryAuth = on;
    }

    /** The Authorization header value for reads, or empty when the query service runs without auth. */
    Optional<String> queryAuthorization() {
        return queryAuth ? authorization() : Optional.empty();
    }

    private void restart(String service, boolean auth) {
        Map<String, String> env = new java.util.HashMap<>(BENCH_ENV);
        env.put("TALLY_AUTH", auth ? "on" : "off");
        stack.stopService(service);
        stack.startService(service, env);
    }

    /** Service name → pid, for RSS: from the stack itself, or whoever listens on the service's port. */
    Map<String, Long> pids() {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        if (stack != null) {
            for (String name : LocalStack.SERVICES) {
                stack.service(name).map(ServiceProcess::pid).ifPresent(pid -> pids.put(name, pid));
            }
            return pids;
        }
        listener(commandUrl).ifPresent(pid -> pids.put(LocalStack.COMMAND_SERVICE, pid));
        listener(projectionUrl).ifPresent(pid -> pids.put(LocalStack.PROJECTION_SERVICE, pid));
        listener(queryUrl).ifPresent(pid -> pids.put(LocalStack.QUERY_SERVICE, pid));
        return pids;
    }

    private static Optional<Long> listener(String url) {
        int port = java.net.URI.create(url).getPort();
        if (!Shell.onPath("ss")) {
            return Optional.empty();
        }
        String out = Shell.run(List.of("ss", "-Hltnp", "sport = :" + port), Map.of(), 10).text();
        Matcher m = Pattern.compile("pid=(\\d+)").matcher(out);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** Further instances the scaling measure started, by service: the stack's own is the first of each. */
    private final Map<String, List<ServiceProcess>> further = new java.util.HashMap<>();

    /**
     * Runs {@code count} instances of the service (own stack only), starting the missing ones as
     * {@code ./run --instances} does (own Streams state directory, own projection instance id) on
     * free ports, or stopping the last ones; returns every instance's base URL, the stack's first.
     */
    List<String> instances(String service, int count) {
        List<ServiceProcess> extras = further.computeIfAbsent(service, s -> new java.util.ArrayList<>());
        while (extras.size() > count - 1) {
            stack.stopInstance(extras.removeLast());
        }
        String shortName = service.substring(0, service.indexOf('-'));
        List<dev.tally.stack.Instances.Extra> planned = dev.tally.stack.Instances.parse(shortName + "=" + count)
                .extras(stack.settings());
        for (dev.tally.stack.Instances.Extra extra : planned.subList(extras.size(), planned.size())) {
            int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                port = free.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            System.out.println("bench: starting " + service + " instance " + extra.number() + " on port " + port);
            ServiceProcess process = stack.startInstance(service, port, extra.env());
            extras.add(process);
            process.awaitReady(Duration.ofMinutes(3));
        }
        List<String> urls = new java.util.ArrayList<>();
        urls.add(switch (service) {
            case LocalStack.COMMAND_SERVICE -> commandUrl;
            case LocalStack.PROJECTION_SERVICE -> projectionUrl;
            default -> queryUrl;
        });
        extras.forEach(p -> urls.add(p.baseUrl()));
        return urls;
    }

    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
    }
}
