package dev.tally.projection.runner;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while every projection's runner thread is. A runner retries whatever fails (readiness says
 * so meanwhile); its thread ending anyway is a bug no retry can mend, so the process is restarted.
 */
@Liveness
@ApplicationScoped
public class ProjectionsLiveness implements HealthCheck {

    private final ProjectionRunners runners;

    ProjectionsLiveness(ProjectionRunners runners) {
        this.runners = runners;
    }

    @Override
    public HealthCheckResponse call() {
        var dead = runners.deadRunners();
        return HealthCheckResponse.named("projection-runners").status(dead.isEmpty())
                .withData("dead", String.join(",", dead)).build();
    }
}
