package dev.tally.projection.runner;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One real PostgreSQL per test JVM (zonky's binaries, as the local stack uses), migrated by the
 * service's own Flyway scripts. Tests empty the tables they use before each run.
 */
public final class TestDatabase {

    private static DataSource dataSource;

    private TestDatabase() {
    }

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is going away; zonky cleans its directory on the next start
                    }
                }));
                PGSimpleDataSource pg = new PGSimpleDataSource();
                pg.setUrl(postgres.getJdbcUrl("postgres", "postgres"));
                pg.setReWriteBatchedInserts(true); // as the service runs
                Flyway.configure().dataSource(pg).locations("classpath:db/migration").load().migrate();
                dataSource = pg;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataSource;
    }

    public static void truncateAll() {
        sql("truncate accounts, holds, entries, statement_totals, account_history, history_counts, daily_balances, transfers,"
                + " audit_log, dead_letters,"
                + " projection_checkpoints, projection_account_positions");
    }

    public static void sql(String statement) {
        try (Connection connection = dataSource().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of a query, each as column → value (as text). */
    public static List<Map<String, String>> rows(String query) {
        try (Connection connection = dataSource().getConnection(); Statement sql = connection.createStatement();
             var result = sql.executeQuery(query)) {
            List<Map<String, String>> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, String> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
