package dev.tally.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server, unpacked from a Maven artifact (zonky), whose data survives restarts.
 * It runs as the current user, root included: zonky's binaries do not refuse root as stock ones do.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "tally";
    private static final String SUPERUSER = "postgres";
    // The server trusts local connections (initdb -A trust), so any password works; services still
    // get one because their datasource configuration expects it.
    private static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final int port;

    private LocalPostgres(EmbeddedPostgres postgres, Path dataDir, int port) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts PostgreSQL on {@code dataDir}; its server log goes to a file next to it, {@code <dataDir>.log}. */
    public static LocalPostgres start(Path dataDir, int port) {
        return start(dataDir, port, dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    public static LocalPostgres start(Path dataDir, int port, Path logFile) {
        Ports.requireFree(port, "PostgreSQL");
        EmbeddedPostgres postgres;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    // A file, not zonky's default pipe: the server outlives the pg_ctl that started it,
                    // and must keep a place to log to even if this JVM dies.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new StartupFailedException(LogTail.withTail(
                    "PostgreSQL did not start on port " + port + " with data in " + dataDir + ": " + e.getMessage(), logFile), e);
        }
        LocalPostgres local = new LocalPostgres(postgres, dataDir, port);
        try {
            local.createDatabaseIfMissing();
            return local;
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
    }

    /** JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** A new connection to the {@value #DATABASE} database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), SUPERUSER, PASSWORD);
    }

    @Override
    public void close() {
        Optional<ProcessHandle> server = runningServer(dataDir);
        try {
            postgres.close();
        } catch (IOException e) {
            // zonky logs its own failures; the fallback below makes sure the server is gone anyway
        }
        // pg_ctl gives up after 5 s and leaves the server running; a stack must never leave one behind.
        server.filter(ProcessHandle::isAlive).ifPresent(handle -> ProcessTree.stop(handle, Duration.ofSeconds(10)));
    }

    /**
     * Stops a server an earlier, killed run left on {@code dataDir} (its JVM died, the daemonised
     * postmaster did not). Returns its pid if there was one.
     */
    static Optional<Long> stopOrphan(Path dataDir) {
        Optional<ProcessHandle> server = runningServer(dataDir);
        server.ifPresent(handle -> ProcessTree.stop(handle, Duration.ofSeconds(10)));
        return server.map(ProcessHandle::pid);
    }

    /**
     * The postmaster serving {@code dataDir}, read from its postmaster.pid. Line 2 of that file is the
     * data directory, which tells a live server of ours from an unrelated process that reused the pid.
     */
    private static Optional<ProcessHandle> runningServer(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 2 || !Path.of(lines.get(1).trim()).toAbsolutePath().normalize()
                    .equals(dataDir.toAbsolutePath().normalize())) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().command().map(c -> c.contains("postgres")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, PASSWORD);
             PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new StartupFailedException("could not create database " + DATABASE + " on port " + port + ": " + e.getMessage(), e);
        }
    }
}
