package dev.tally.projection.rebuild;

import dev.tally.projection.runner.ProjectionProgress;
import dev.tally.projection.runner.ProjectionRunner;
import dev.tally.projection.runner.ProjectionRunners;
import dev.tally.schemas.KafkaClientSettings;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Starts rebuilds (one at a time per projection) and remembers the last one of each. */
@ApplicationScoped
public class Rebuilds {

    private final ProjectionRunners runners;
    private final AgroalDataSource dataSource;
    private final KafkaClientSettings kafka;
    private final int maxPollRecords;
    private final Map<String, RebuildRun> latest = new ConcurrentHashMap<>();

    Rebuilds(ProjectionRunners runners, AgroalDataSource dataSource,
             KafkaClientSettings kafka,
             @ConfigProperty(name = "tally.rebuild.max-poll-records", defaultValue = "5000") int maxPollRecords,
             MeterRegistry metrics) {
        this.runners = runners;
        // Rebuild progress per projection, for dashboards: 0/1 running, events applied, events left.
        for (ProjectionProgress projection : runners.progress()) {
            String name = projection.name();
            Gauge.builder("tally.rebuild.running", this, r -> r.isRebuilding(name) ? 1 : 0)
                    .tag("projection", name).description("1 while a blue-green rebuild of the projection runs")
                    .register(metrics);
            Gauge.builder("tally.rebuild.applied", this, r -> r.progress(name).map(RebuildProgress::applied).orElse(0L))
                    .tag("projection", name).description("events the latest rebuild has applied").register(metrics);
            Gauge.builder("tally.rebuild.lag.events", this, r -> r.progress(name).map(RebuildProgress::lag).orElse(0L))
                    .tag("projection", name).description("events the latest rebuild still has to apply").register(metrics);
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
        RebuildRun run = new RebuildRun(live.get().projection(), live.get(), dataSource, kafka.connection(), maxPollRecords);
        latest.put(name, run);
        Thread.ofPlatform().name("rebuild-" + name).daemon().start(run);
        return Started.STARTED;
    }

    public Optional<RebuildProgress> progress(String name) {
        return Optional.ofNullable(latest.get(name)).map(RebuildRun::progress);
    }

    /** The latest rebuild of each projection that has had one. */
    public java.util.List<RebuildProgress> latest() {
        return latest.values().stream().map(RebuildRun::progress).toList();
    }

    public boolean isRebuilding(String name) {
        RebuildRun run = latest.get(name);
        return run != null && run.isRunning();
    }
}
