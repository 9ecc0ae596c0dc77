package dev.tally.replay;

import dev.tally.stack.LocalPostgres;
import dev.tally.stack.StackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** A throwaway real PostgreSQL with today's read schema (the projection service's Flyway migrations). */
public final class ScratchDatabase implements AutoCloseable {

    private final LocalPostgres postgres;
    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    private ScratchDatabase(LocalPostgres postgres) {
        this.postgres = postgres;
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        dataSource.setReWriteBatchedInserts(true);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public static ScratchDatabase start() throws IOException {
        Path dir = Files.createTempDirectory("tally-replay-check");
        int port = StackSettings.onFreePorts(dir, dir).postgresPort();
        return new ScratchDatabase(LocalPostgres.start(dir.resolve("postgres"), port));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        postgres.close();
    }
}
