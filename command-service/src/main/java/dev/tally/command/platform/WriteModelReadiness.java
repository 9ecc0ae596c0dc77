package dev.tally.command.platform;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while Kafka Streams is RUNNING, results can be heard and the pipeline is warm. */
@Readiness
@ApplicationScoped
public class WriteModelReadiness implements HealthCheck {

    private final KafkaStreams streams;
    private final CommandResultListener listener;
    private final WriteModelWarmUp warmUp;

    WriteModelReadiness(KafkaStreams streams, CommandResultListener listener, WriteModelWarmUp warmUp) {
        this.streams = streams;
        this.listener = listener;
        this.warmUp = warmUp;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        boolean ready = state == KafkaStreams.State.RUNNING && listener.isPositioned() && warmUp.isWarm();
        return HealthCheckResponse.named("write-model").status(ready)
                .withData("streamsState", state.name())
                .withData("resultsListenerPositioned", listener.isPositioned())
                .withData("warm", warmUp.isWarm())
                .build();
    }
}
