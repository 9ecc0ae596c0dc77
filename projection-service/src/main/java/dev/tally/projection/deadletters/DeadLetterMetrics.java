package dev.tally.projection.deadletters;

import dev.tally.projection.runner.ProjectionProgress;
import dev.tally.projection.runner.ProjectionRunners;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code tally_dead_letters_parked{projection}}: events parked and waiting for an operator. Anything
 * above zero means an account's read model is stuck behind an event it could not apply; alert on it.
 * Counted from the table at most every few seconds, however often it is scraped.
 */
@ApplicationScoped
@Startup
public class DeadLetterMetrics {

    private static final Logger LOG = Logger.getLogger(DeadLetterMetrics.class);
    private static final long REFRESH_NANOS = 5_000_000_000L;

    private final AgroalDataSource dataSource;
    private Map<String, Long> parked = Map.of();
    private long countedAt = System.nanoTime() - REFRESH_NANOS;

    DeadLetterMetrics(AgroalDataSource dataSource, ProjectionRunners runners, MeterRegistry metrics) {
        this.dataSource = dataSource;
        for (ProjectionProgress projection : runners.progress()) {
            String name = projection.name();
            Gauge.builder("tally.dead.letters.parked", this, m -> m.parked(name)).tag("projection", name)
                    .description("events parked in dead_letters, waiting for retry or skip").register(metrics);
        }
    }

    synchronized double parked(String projection) {
        if (System.nanoTime() - countedAt >= REFRESH_NANOS) {
            countedAt = System.nanoTime();
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement count = connection.prepareStatement(
                         "select projection, count(*) from dead_letters where status = 'PARKED' group by projection");
                 ResultSet rows = count.executeQuery()) {
                Map<String, Long> counted = new HashMap<>();
                while (rows.next()) {
                    counted.put(rows.getString(1), rows.getLong(2));
                }
                parked = counted;
            } catch (SQLException e) {
                LOG.warnf("Could not count dead letters: %s", e.getMessage());
                return Double.NaN;
            }
        }
        return parked.getOrDefault(projection, 0L);
    }
}
