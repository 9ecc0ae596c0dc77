package dev.tally.query;

import dev.tally.stack.LocalPostgres;
import dev.tally.stack.auth.LocalKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * The query service's world for its own tests: the local stack's real PostgreSQL (a fresh data
 * directory, a free port), migrated by the projection service's own Flyway scripts, and the local
 * stack's signing keys so that tests send real bearer tokens to a service with authentication on.
 * Tests write rows as the projections do ({@link ReadModelRows}) and read them back over HTTP.
 */
public class ReadModelDatabase implements QuarkusTestResourceLifecycleManager {

    /** Where the keys live; tests mint their tokens from it ({@link Tokens}). */
    public static final String DATA_DIR = "tally.test.data-dir";
    private static final String MIGRATIONS = "filesystem:../projection-service/src/main/resources/db/migration";

    private Path dataDir;
    private LocalPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("tally-query-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres = LocalPostgres.start(dataDir.resolve("postgres"), freePort());
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.username(), postgres.password())
                .locations(MIGRATIONS).failOnMissingLocations(true).load().migrate();
        LocalKeys keys = LocalKeys.ensure(dataDir);
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                "tally.auth", "on",
                "mp.jwt.verify.publickey.location", keys.publicKeyLocation(),
                "mp.jwt.verify.issuer", LocalKeys.ISSUER,
                DATA_DIR, dataDir.toString());
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is not worth failing the build for
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
