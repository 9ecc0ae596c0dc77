package dev.tally.projection.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.projection.audit.AuditProjection;
import dev.tally.schemas.tracing.TraceHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A projection runner never dies silently (issue 11, 5): injected here, a Kafka client that cannot
 * even be created (no resolvable broker). The runner keeps its thread, says why it is failing (which
 * takes readiness down), and retries with backoff.
 */
class RunnerSupervisionTest {

    @Test
    void a_runner_whose_consumer_cannot_start_stays_alive_reports_the_reason_and_retries() throws Exception {
        ProjectionRunner runner = new ProjectionRunner(new AuditProjection(), TestDatabase.dataSource(),
                Map.of("bootstrap.servers", "no-such-broker.invalid:9092"), 10, "test", new SimpleMeterRegistry(),
                new TraceHeaders(OpenTelemetry.noop(), "test"));
        Thread thread = Thread.ofPlatform().name("projection-under-test").start(runner);
        try {
            Thread.sleep(3_000);

            assertTrue(thread.isAlive(), "the runner's thread ended");
            assertEquals(ProjectionProgress.Status.FAILED, runner.progress().status());
            assertTrue(runner.progress().lastError().contains("bootstrap"), runner.progress().lastError());
            assertTrue(runner.failuresInARow() >= 2, "retried " + runner.failuresInARow() + " time(s)");
        } finally {
            runner.stop();
            thread.join(10_000);
        }
        assertTrue(!thread.isAlive(), "stop() ends the runner even while it backs off");
    }
}
