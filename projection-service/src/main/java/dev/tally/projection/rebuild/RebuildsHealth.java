package dev.tally.projection.rebuild;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * A rebuild that ended FAILED turns {@code /q/health} (and {@code /q/health/well}) DOWN with its
 * reason until a later rebuild of that projection succeeds. A wellness check, not readiness: the
 * live tables were left as they were and keep being served and updated, and a not-ready pod would
 * also hide the operations API through which the rebuild is retried.
 */
@Wellness
@ApplicationScoped
public class RebuildsHealth implements HealthCheck {

    private final Rebuilds rebuilds;

    RebuildsHealth(Rebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @Override
    public HealthCheckResponse call() {
        return of(rebuilds.latest());
    }

    /** Each projection's latest rebuild: its status, and the reason when it failed. */
    static HealthCheckResponse of(Collection<RebuildProgress> latest) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rebuilds").up();
        for (RebuildProgress rebuild : latest) {
            boolean failed = rebuild.status().equals("FAILED");
            response.withData(rebuild.projection(), failed ? "FAILED: " + rebuild.error() : rebuild.status());
            if (failed) {
                response.down();
            }
        }
        return response.build();
    }
}
