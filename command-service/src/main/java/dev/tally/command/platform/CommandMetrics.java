package dev.tally.command.platform;

import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;

/**
 * Prometheus metrics of the write side, as a client sees it: {@code tally_commands_seconds} (a
 * histogram of the round trip from sending a command to its result, by type and outcome) and
 * {@code tally_events_appended_total} (by event type).
 */
@ApplicationScoped
public class CommandMetrics {

    private final MeterRegistry registry;

    CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public CompletionStage<CommandResult> observe(CommandMessage command, CompletionStage<CommandResult> result) {
        long started = System.nanoTime();
        return result.whenComplete((answer, failure) -> {
            String outcome = failure != null
                    ? (failure instanceof CommandTimeoutException || failure.getCause() instanceof CommandTimeoutException
                    ? "timeout" : "error")
                    : answer.accepted() ? "accepted" : answer.rejection().code();
            Timer.builder("tally.commands").description("command round trip, HTTP edge to result")
                    .tag("type", command.type().name()).tag("outcome", outcome)
                    .publishPercentileHistogram().register(registry)
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (answer != null && !answer.replayed()) {
                answer.events().forEach(event -> Counter.builder("tally.events.appended").tag("type", event.type())
                        .register(registry).increment());
            }
        });
    }
}
