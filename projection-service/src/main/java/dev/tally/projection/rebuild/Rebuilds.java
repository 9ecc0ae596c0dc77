package dev.tally.projection.rebuild;

import dev.tally.projection.runner.ProjectionProgress;
import dev.tally.projection.runner.ProjectionRunner;
import dev.tally.projection.runner.ProjectionRunners;
import dev.tally.schemas.KafkaClientSettings;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts rebuilds, one at a time per projection across every instance (a lease in PostgreSQL), and
 * answers for the latest one of each, wherever it runs or ran. Other instances' live runners need
 * no pause: the swap takes the fence of every live partition, so their writers wait for it and then
 * find the swapped-in checkpoints (see {@code CheckpointStore.claim}).
 */
@ApplicationScoped
public class Rebuilds {

    private static final Logger LOG = Logger.getLogger(Rebuilds.class);

    private final ProjectionRunners runners;
    private final AgroalDataSource dataSource;
    private final KafkaClientSettings kafka;
    private final int maxPollRecords;
    private final Map<String, RebuildRun> latest = new ConcurrentHashMap<>();
    private final RebuildRecords records;

    Rebuilds(ProjectionRunners runners, AgroalDataSource dataSource,
             KafkaClientSettings kafka,
             @ConfigProperty(name = "tally.rebuild.max-poll-records", defaultValue = "5000") int maxPollRecords,
             MeterRegistry metrics) {
        this.runners = runners;
        this.records = new RebuildRecords(dataSource, runners.instance() + "/" + ProcessHandle.current().pid());
        // Rebuild progress per projection, for dashboards: 0/1 running, events applied, events left.
        for (ProjectionProgress projection : runners.progress()) {
            String name = projection.name();
            Gauge.builder("tally.rebuild.running", this, r -> r.here(name).filter(p -> RebuildProgress.isRunning(p.status()))
                            .isPresent() ? 1 : 0)
                    .tag("projection", name).description("1 while this instance runs a blue-green rebuild of the projection")
                    .register(metrics);
            Gauge.builder("tally.rebuild.applied", this, r -> r.here(name).map(RebuildProgress::applied).orElse(0L))
                    .tag("projection", name).description("events this instance's latest rebuild has applied").register(metrics);
            Gauge.builder("tally.rebuild.lag.events", this, r -> r.here(name).map(RebuildProgress::lag).orElse(0L))
                    .tag("projection", name).description("events this instance's latest rebuild still has to apply").register(metrics);
            Gauge.builder("tally.rebuild.failed", this, r -> r.progress(name).filter(p -> p.status().equals("FAILED"))
                            .isPresent() ? 1 : 0)
                    .tag("projection", name).description("1 while the latest rebuild of the projection has failed")
                    .register(metrics);
        }
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.maxPollRecords = maxPollRecords;
    }

    public enum Started { STARTED, ALREADY_RUNNING, UNKNOWN_PROJECTION }

    public synchronized Started start(String name) {
        Optional<ProjectionRunner> live = runners.runner(name);
        if (live.isEmpty()) {
            return Started.UNKNOWN_PROJECTION;
        }
        RebuildRun current = latest.get(name);
        if (current != null && current.isRunning()) {
            return Started.ALREADY_RUNNING;
        }
        Optional<RebuildRecords.Lease> lease = records.lease(name);
        if (lease.isEmpty()) {
            return Started.ALREADY_RUNNING; // on another instance
        }
        RebuildRun run = new RebuildRun(live.get().projection(), live.get(), dataSource, kafka.connection(), maxPollRecords,
                lease.get(), records::save);
        latest.put(name, run);
        Thread.ofPlatform().name("rebuild-" + name).daemon().start(run);
        return Started.STARTED;
    }

    /** The latest rebuild of the projection: this instance's while it runs here, else what the database says. */
    public Optional<RebuildProgress> progress(String name) {
        RebuildRun local = latest.get(name);
        if (local != null && local.isRunning()) {
            return Optional.of(local.progress());
        }
        try {
            return records.latest(name);
        } catch (SQLException e) {
            LOG.debugf("Rebuild records unreadable, answering from this instance: %s", e.getMessage());
            return Optional.ofNullable(local).map(RebuildRun::progress);
        }
    }

    /** The latest rebuild of each projection that has had one, on any instance. */
    public List<RebuildProgress> latest() {
        Map<String, RebuildProgress> all = new TreeMap<>();
        try {
            records.latest().forEach(p -> all.put(p.projection(), p));
        } catch (SQLException e) {
            LOG.debugf("Rebuild records unreadable, answering from this instance: %s", e.getMessage());
            latest.values().forEach(run -> all.put(run.progress().projection(), run.progress()));
        }
        latest.values().stream().filter(RebuildRun::isRunning).forEach(run -> all.put(run.progress().projection(), run.progress()));
        return List.copyOf(all.values());
    }

    public boolean isRebuilding(String name) {
        return progress(name).map(p -> RebuildProgress.isRunning(p.status())).orElse(false);
    }

    /** This instance's own rebuild of the projection, if it has had one: the gauges are per instance. */
    private Optional<RebuildProgress> here(String name) {
        return Optional.ofNullable(latest.get(name)).map(RebuildRun::progress);
    }
}
