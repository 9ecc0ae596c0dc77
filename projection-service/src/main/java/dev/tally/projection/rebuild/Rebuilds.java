package dev.tally.projection.rebuild;

import dev.tally.projection.runner.KafkaClientSettings;

import dev.tally.projection.runner.ProjectionRunner;
import dev.tally.projection.runner.ProjectionRunners;
import io.agroal.api.AgroalDataSource;
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
             @ConfigProperty(name = "tally.rebuild.max-poll-records", defaultValue = "5000") int maxPollRecords) {
        this.runners = runners;
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

    public boolean isRebuilding(String name) {
        RebuildRun run = latest.get(name);
        return run != null && run.isRunning();
    }
}
