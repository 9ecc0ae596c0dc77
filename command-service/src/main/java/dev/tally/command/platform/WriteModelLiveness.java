package dev.tally.command.platform;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Not alive once Kafka Streams has given up (ERROR: its threads died past what
 * {@link StreamThreadSupervisor} replaces) or the results listener is gone: a restart is the cure,
 * and Kubernetes restarts what is not alive. Merely not ready (rebalancing, warming up) is not this.
 */
@Liveness
@ApplicationScoped
public class WriteModelLiveness implements HealthCheck {

    private final KafkaStreams streams;
    private final CommandResultListener listener;

    WriteModelLiveness(KafkaStreams streams, CommandResultListener listener) {
        this.streams = streams;
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        boolean streamsAlive = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
        return HealthCheckResponse.named("write-model-threads").status(streamsAlive && listener.isAlive())
                .withData("streamsState", state.name())
                .withData("resultsListenerAlive", listener.isAlive())
                .withData("resultsListenerFailures", listener.failures())
                .build();
    }
}
