package dev.tally.projection.runner;

import dev.tally.schemas.KafkaClientSettings;
import dev.tally.schemas.tracing.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Starts one runner thread per {@link Projection} bean once Flyway has migrated, and stops them on shutdown. */
@ApplicationScoped
public class ProjectionRunners {

    private final List<ProjectionRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final String instance;

    ProjectionRunners(Instance<Projection> projections, AgroalDataSource dataSource,
                      KafkaClientSettings kafka,
                      @ConfigProperty(name = "tally.projection.max-poll-records", defaultValue = "2000") int maxPollRecords,
                      @ConfigProperty(name = "tally.projection.instance-id") Optional<String> instanceId,
                      MeterRegistry metrics, OpenTelemetry telemetry) {
        TraceHeaders tracing = new TraceHeaders(telemetry, "dev.tally.projection");
        this.instance = instanceId.filter(id -> !id.isBlank()).orElseGet(ProjectionRunners::hostName);
        projections.forEach(projection -> runners.add(
                new ProjectionRunner(projection, dataSource, kafka.connection(), maxPollRecords, instance, metrics, tracing)));
    }

    /** This instance's name among several (its static group membership id): the pod's name in Kubernetes. */
    public String instance() {
        return instance;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "local";
        }
    }

    void start(@Observes StartupEvent startup) {
        for (ProjectionRunner runner : runners) {
            threads.add(Thread.ofPlatform().name("projection-" + runner.progress().name()).start(runner));
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        runners.forEach(ProjectionRunner::stop);
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }

    /** Projections whose runner thread has ended although the service was not stopping: liveness fails on them. */
    public List<String> deadRunners() {
        List<String> dead = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
            if (!threads.get(i).isAlive() && !runners.get(i).isStopping()) {
                dead.add(runners.get(i).progress().name());
            }
        }
        return dead;
    }

    public List<ProjectionProgress> progress() {
        return runners.stream().map(ProjectionRunner::progress).toList();
    }

    public Optional<ProjectionRunner> runner(String name) {
        return runners.stream().filter(r -> r.progress().name().equals(name)).findFirst();
    }

    public Optional<ProjectionProgress> progress(String name) {
        return progress().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
