package dev.tally.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack keeps its data and which ports it listens on.
 *
 * <p>Kafka and PostgreSQL default to non-standard ports on purpose: a developer often has a Kafka
 * on 9092 or a PostgreSQL on 5432 already, and the local stack must never talk to (or write into)
 * someone else's server.
 */
public record StackSettings(
        Path repositoryRoot,
        Path dataDir,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        int commandPort,
        int queryPort,
        int projectionPort,
        boolean auth) {

    public static final String DATA_DIR_VARIABLE = "TALLY_DATA_DIR";
    /** {@code TALLY_AUTH=off} turns authentication off in the services; nothing else does. */
    public static final String AUTH_VARIABLE = "TALLY_AUTH";

    /** A port together with the environment variable that sets it, so errors can name the fix. */
    public record NamedPort(String variable, int port) {
    }

    public StackSettings {
        repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
        List<NamedPort> ports = namedPorts(kafkaPort, kafkaControllerPort, postgresPort, commandPort, queryPort, projectionPort);
        Map<Integer, String> seen = new HashMap<>();
        for (NamedPort named : ports) {
            if (named.port() < 1 || named.port() > 65535) {
                throw new IllegalArgumentException(named.variable() + " must be a port number between 1 and 65535, got " + named.port());
            }
            String clash = seen.putIfAbsent(named.port(), named.variable());
            if (clash != null) {
                throw new IllegalArgumentException(clash + " and " + named.variable() + " are both " + named.port() + "; give each its own port");
            }
        }
    }

    /** Reads the {@code TALLY_*} variables; anything unset gets the documented default. */
    public static StackSettings fromEnvironment(Map<String, String> env, Path repositoryRoot) {
        String dataDir = env.get(DATA_DIR_VARIABLE);
        return new StackSettings(
                repositoryRoot,
                dataDir == null || dataDir.isBlank() ? repositoryRoot.resolve(".tally") : Path.of(dataDir),
                port(env, "TALLY_KAFKA_PORT", 19092),
                port(env, "TALLY_KAFKA_CONTROLLER_PORT", 19093),
                port(env, "TALLY_POSTGRES_PORT", 15432),
                port(env, "TALLY_COMMAND_PORT", 8081),
                port(env, "TALLY_QUERY_PORT", 8082),
                port(env, "TALLY_PROJECTION_PORT", 8083),
                auth(env.get(AUTH_VARIABLE)));
    }

    /** Ports the operating system says are free right now; for tests that must not clash with anything. */
    public static StackSettings onFreePorts(Path repositoryRoot, Path dataDir) {
        // All sockets stay open until every port is chosen, so the kernel cannot hand out one twice.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                sockets.add(new ServerSocket(0));
            }
            return new StackSettings(repositoryRoot, dataDir,
                    sockets.get(0).getLocalPort(), sockets.get(1).getLocalPort(), sockets.get(2).getLocalPort(),
                    sockets.get(3).getLocalPort(), sockets.get(4).getLocalPort(), sockets.get(5).getLocalPort(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not find free ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port was only borrowed; nothing listens on it any more either way
                }
            }
        }
    }

    /** Every port of the stack, in start order, with the variable that moves it. */
    public List<NamedPort> ports() {
        return namedPorts(kafkaPort, kafkaControllerPort, postgresPort, commandPort, queryPort, projectionPort);
    }

    private static List<NamedPort> namedPorts(int kafka, int controller, int postgres, int command, int query, int projection) {
        return List.of(
                new NamedPort("TALLY_KAFKA_PORT", kafka),
                new NamedPort("TALLY_KAFKA_CONTROLLER_PORT", controller),
                new NamedPort("TALLY_POSTGRES_PORT", postgres),
                new NamedPort("TALLY_COMMAND_PORT", command),
                new NamedPort("TALLY_QUERY_PORT", query),
                new NamedPort("TALLY_PROJECTION_PORT", projection));
    }

    private static boolean auth(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("on")) {
            return true;
        }
        if (value.trim().equalsIgnoreCase("off")) {
            return false;
        }
        throw new IllegalArgumentException(AUTH_VARIABLE + " must be 'on' (the default) or 'off', got '" + value + "'");
    }

    private static int port(Map<String, String> env, String variable, int defaultPort) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a port number between 1 and 65535, got '" + value + "'");
        }
    }
}
