package dev.tally.projection.runner;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every projection has polled the topic and none is failing; the database check is Agroal's. */
@Readiness
@ApplicationScoped
public class ProjectionsReadiness implements HealthCheck {

    private final ProjectionRunners runners;

    ProjectionsReadiness(ProjectionRunners runners) {
        this.runners = runners;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("projections").up();
        for (ProjectionProgress progress : runners.progress()) {
            response.withData(progress.name(), progress.status() == ProjectionProgress.Status.FAILED
                    ? "FAILED: " + progress.lastError() : progress.status().name()); // the reason, not just DOWN
            if (progress.status() != ProjectionProgress.Status.LIVE) {
                response.down();
            }
        }
        return response.build();
    }
}
