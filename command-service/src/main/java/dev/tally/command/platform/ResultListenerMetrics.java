package dev.tally.command.platform;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What the results listener does with the results topic, on {@code /q/metrics}:
 * {@code tally_command_results_read_total} (every result, whoever sent the command) and
 * {@code tally_command_results_decoded_total} (only those a request of this instance waits for).
 * With N instances each reads every result but decodes about 1/N of them; the scaling benchmark
 * reads both.
 */
@ApplicationScoped
class ResultListenerMetrics {

    void register(@Observes StartupEvent startup, MeterRegistry registry, CommandResultListener results) {
        FunctionCounter.builder("tally.command.results.read", results, CommandResultListener::read)
                .description("results read from the results topic by this instance").register(registry);
        FunctionCounter.builder("tally.command.results.decoded", results, CommandResultListener::decoded)
                .description("results this instance decoded: those a request of its own waited for").register(registry);
    }
}
