package dev.tally.projection.webhooks;

import dev.tally.projection.runner.ProjectionRunner;
import dev.tally.projection.runner.ReactorWriter;
import dev.tally.schemas.KafkaClientSettings;
import dev.tally.schemas.tracing.TraceHeaders;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The webhook reactor's two threads: the runner that turns events into deliveries (a consumer
 * group of its own, {@code tally-reactor-webhooks}, and a checkpoint of its own), and the dispatcher
 * that sends them. Neither is a projection: {@code /projections} does not list it and no rebuild
 * touches it. Alive while both threads are ({@link WebhooksLiveness}).
 */
@ApplicationScoped
public class Webhooks {

    private final WebhookSettings settings;
    private final Dispatcher dispatcher;
    private final ProjectionRunner reactor;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    Webhooks(WebhookSettings settings, Deliveries deliveries, AgroalDataSource dataSource, KafkaClientSettings kafka,
             @ConfigProperty(name = "tally.projection.max-poll-records", defaultValue = "2000") int maxPollRecords,
             @ConfigProperty(name = "tally.projection.instance-id") Optional<String> instanceId,
             MeterRegistry metrics, OpenTelemetry telemetry) {
        this.settings = settings;
        this.dispatcher = new Dispatcher(deliveries, settings, metrics, telemetry);
        String instance = instanceId.orElseGet(Webhooks::hostName);
        this.reactor = new ProjectionRunner(
                new ReactorWriter(new WebhookReactor(settings, dispatcher::wake), dataSource, settings.startFromBeginning()),
                kafka.connection(), maxPollRecords, instance, metrics, new TraceHeaders(telemetry, "dev.tally.projection"));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "local";
        }
    }

    /** Something may be due now. */
    public void wake() {
        dispatcher.wake();
    }

    void start(@Observes StartupEvent startup) {
        if (!settings.enabled()) {
            return;
        }
        threads.add(Thread.ofPlatform().name("reactor-webhooks").start(reactor));
        threads.add(Thread.ofPlatform().name("webhook-dispatcher").start(dispatcher));
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        stopping = true;
        reactor.stop();
        dispatcher.stop();
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }

    /** Threads that ended although the service was not stopping. */
    List<String> deadThreads() {
        return stopping ? List.of() : threads.stream().filter(t -> !t.isAlive()).map(Thread::getName).toList();
    }

    String reactorStatus() {
        return String.valueOf(reactor.progress().status());
    }
}
